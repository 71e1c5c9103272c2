/**
 * `npm run bench`: starts the production build of Parley and the baselines, drives them over
 * loopback from separate load-generating processes, prints a table of Parley / baseline ratios
 * and writes the full results as JSON under bench/results/.
 *
 * `--smoke` (or BENCH_SMOKE=1): tiny sizes, a few seconds, same code paths.
 * BENCH_RESULTS_DIR: where the JSON goes (default bench/results). BENCH_SKIP_BUILD=1: use dist as is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchConfig, benchConfig } from './config.js';
import { round } from './histogram.js';
import { clusterMode } from './phases/cluster.js';
import { type ConnectionsResult, idleConnections } from './phases/connections.js';
import { fanOutRounds, fanOutTargetsFromEnv } from './phases/fan-out-rounds.js';
import { growthBench, growthTables } from './phases/growth.js';
import { httpSweep, waitForCommitted, wsSendSweep } from './phases/ingest.js';
import { catchUp, history } from './phases/reads.js';
import { searchBench } from './phases/search.js';
import { benchDir } from './processes.js';
import { ADMIN, registerAdmin } from './register.js';
import { type BenchResults, evaluate, markdownTable } from './report.js';
import { seed } from './seed.js';
import { ensureBuilt, type RunningParley, startBaseline, startParley } from './servers.js';

export function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((v) => round(v, 2)),
  };
}

async function withParley<T>(dataDir: string, run: (server: RunningParley) => Promise<T>): Promise<T> {
  const server = await startParley(dataDir);
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

/** The workloads `--only` can pick. */
export const WORKLOADS = [
  'fan-out',
  'connections',
  'ingest',
  'reads',
  'cluster',
  'search',
  'growth',
] as const;
export type Workload = (typeof WORKLOADS)[number];
/**
 * Without `--only`: all but `cluster`, which needs PostgreSQL, Redis and nginx on the machine
 * and takes ~8 minutes on its own (the full run is ~15 already), and `search`, which seeds a
 * million messages of its own (minutes), and `growth`, which seeds (then caches) a 10M-event log.
 */
export const DEFAULT_WORKLOADS: readonly Workload[] = ['fan-out', 'connections', 'ingest', 'reads'];

export async function runBench(
  config: BenchConfig,
  log: (line: string) => void,
  only: ReadonlySet<Workload> = new Set(DEFAULT_WORKLOADS),
) {
  const startedAt = new Date();
  const phaseSeconds: Record<string, number> = {};
  let phaseStart = performance.now();
  const phase = (name: string) => {
    phaseSeconds[name] = round((performance.now() - phaseStart) / 1000, 1);
    phaseStart = performance.now();
  };
  log(`Parley bench (${config.smoke ? 'smoke' : 'full'}) on ${os.cpus().length} CPUs`);
  ensureBuilt(log);
  phase('build');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  try {
    // The server migrates its schema and registers the sender through the API; the rest is seeded.
    const adminToken = await withParley(dataDir, (s) => registerAdmin(s.origin));
    const idleUsers = only.has('connections')
      ? Math.ceil(Math.max(...config.connections.counts) / config.socketsPerUser)
      : 0;
    const seeded = seed(dataDir, {
      // Cluster mode compares with one process: it uses this DATA_DIR's members as well.
      fanOutUsers: Math.max(
        only.has('fan-out') ? config.fanOut.members : 0,
        only.has('cluster') ? config.cluster.fanOutMembers : 0,
      ),
      idleUsers,
      historyEvents: only.has('reads') ? config.history.events : 1,
      adminUsername: ADMIN.username,
    });
    log(
      `seeded ${seeded.fanOutTokens.length + idleUsers + 1} accounts and ${seeded.historyLastSeq} events in ${round(seeded.seconds, 1)} s`,
    );
    phase('seed');

    const results: BenchResults = {};
    if (only.has('fan-out')) {
      log('fan-out');
      results.fanOut = await fanOutRounds({
        ...config.fanOut,
        // BENCH_FANOUT_REPEATS: fewer rounds while exploring (3 in a full run).
        repeats: Number(process.env.BENCH_FANOUT_REPEATS) || config.fanOut.repeats,
        settleMs: config.settleMs,
        parley: {
          start: () => startParley(dataDir),
          memberTokens: seeded.fanOutTokens,
          sender: { token: adminToken, roomId: seeded.generalRoomId },
        },
        targets: fanOutTargetsFromEnv(),
        log,
      });
      phase('fanOut');
    }

    if (only.has('connections')) {
      log('idle connections');
      const idleTokens = (count: number) =>
        Array.from({ length: count }, (_, i) => seeded.idleTokens[Math.floor(i / config.socketsPerUser)]!);
      const connectionOptions = {
        workers: config.connections.workers,
        sourceAddresses: config.connections.sourceAddresses,
        settleMs: config.settleMs,
        log,
      };
      const parleyConnections: ConnectionsResult[] = [];
      for (const count of config.connections.counts) {
        parleyConnections.push(
          await withParley(dataDir, (s) =>
            idleConnections({
              ...connectionOptions,
              target: { kind: 'parley', url: s.wsUrl },
              serverPid: s.pid,
              count,
              tokens: idleTokens(count),
            }),
          ),
        );
      }
      const rawServer = await startBaseline('raw');
      const rawConnections = await idleConnections({
        ...connectionOptions,
        target: { kind: 'raw', url: `ws://127.0.0.1:${rawServer.port}/` },
        serverPid: rawServer.pid,
        count: config.connections.baselineCount,
        tokens: [],
      }).finally(() => rawServer.stop());
      results.connections = { parley: parleyConnections, raw: rawConnections };
      phase('connections');
    }

    if (only.has('ingest')) {
      log('ingest');
      const ingestBody = JSON.stringify({ type: 'message', roomId: seeded.ingestRoomId, text: 'ingest' });
      const jsonHeaders = { 'Content-Type': 'application/json' };
      const express = await startBaseline('express');
      const expressSweep = await httpSweep({
        target: 'express',
        serverPid: express.pid,
        request: {
          origin: `http://127.0.0.1:${express.port}`,
          method: 'POST',
          path: '/jobs',
          headers: jsonHeaders,
          body: ingestBody,
        },
        concurrency: config.ingest.concurrency,
        stepMs: config.ingest.stepMs,
        log,
      }).finally(() => express.stop());

      results.ingest = await withParley(dataDir, async (s) => {
        const sweepStart = performance.now();
        const postJobs = (target: string, idempotencyKeys: boolean) =>
          httpSweep({
            target,
            serverPid: s.pid,
            request: {
              origin: s.origin,
              method: 'POST',
              path: '/jobs',
              headers: { ...jsonHeaders, Authorization: `Bearer ${adminToken}` },
              body: ingestBody,
              idempotencyKeys,
            },
            concurrency: config.ingest.concurrency,
            stepMs: config.ingest.stepMs,
            log,
          });
        const parleyHttp = await postJobs('parley POST /jobs', false);
        // The web app keys every send (its outbox retries them): the same requests with a key each.
        const parleyHttpKeyed = await postJobs('parley POST /jobs with Idempotency-Key', true);
        const parleyWs = await wsSendSweep({
          serverPid: s.pid,
          url: s.wsUrl,
          token: adminToken,
          roomId: seeded.ingestRoomId,
          concurrency: config.ingest.concurrency,
          stepMs: config.ingest.stepMs,
          log,
        });
        const accepted = parleyHttp.accepted + parleyHttpKeyed.accepted + parleyWs.accepted;
        const drained = await waitForCommitted({
          origin: s.origin,
          token: adminToken,
          roomId: seeded.ingestRoomId,
          expected: accepted,
          timeoutMs: 120_000,
        });
        const sweepSeconds = (performance.now() - sweepStart) / 1000;
        const ingest = {
          express: expressSweep,
          parleyHttp,
          parleyHttpKeyed,
          parleyWs,
          accepted,
          committed: drained.committed,
          allCommitted: drained.committed === accepted,
          committedPerSecond: Math.round(drained.committed / sweepSeconds),
        };
        log(
          `  committed ${drained.committed}/${accepted} (backlog drained in ${drained.drainSeconds} s): ` +
            `${ingest.committedPerSecond} messages/s over the sweep`,
        );
        phase('ingest');
        return ingest;
      });
    }

    if (only.has('reads')) {
      await withParley(dataDir, async (s) => {
        log('history and catch-up');
        const historyResult = await history({
          origin: s.origin,
          serverPid: s.pid,
          token: seeded.readerToken,
          roomId: seeded.historyRoomId,
          lastSeq: seeded.historyLastSeq,
          requests: config.history.requests,
          log,
        });
        const catchUpResult = await catchUp({
          wsUrl: s.wsUrl,
          token: seeded.readerToken,
          roomId: seeded.historyRoomId,
          lastSeq: seeded.historyLastSeq,
          behind: config.catchUp.behind,
          repeats: config.catchUp.repeats,
          log,
        });
        results.history = historyResult;
        results.catchUp = catchUpResult;
        phase('reads');
      });
    }

    if (only.has('cluster')) {
      results.cluster = await clusterMode({
        config,
        single: {
          dataDir,
          adminToken,
          generalRoomId: seeded.generalRoomId,
          memberTokens: seeded.fanOutTokens,
        },
        log,
      });
      phase('cluster');
    }

    if (only.has('search')) {
      log(`search over ${config.search.messages.toLocaleString('en-US')} messages`);
      results.search = await searchBench(config.search, log);
      phase('search');
    }

    if (only.has('growth')) {
      results.growth = await growthBench(config.growth, config.settleMs, log);
      log(`\n${growthTables(results.growth)}`);
      phase('growth');
    }

    const { rows, targets } = evaluate(results);
    return {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      smoke: config.smoke,
      workloads: [...only],
      machine: machine(),
      config,
      phaseSeconds,
      results,
      targets,
      table: markdownTable(rows),
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `--only=fan-out,ingest` (or BENCH_ONLY): run some workloads; the table shows only theirs.
 * `--cluster` is `--only=cluster`.
 */
function onlyWorkloads(): Set<Workload> {
  const arg =
    process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ??
    (process.argv.includes('--cluster') ? 'cluster' : process.env.BENCH_ONLY);
  if (!arg) return new Set(DEFAULT_WORKLOADS);
  const picked = arg.split(',').map((w) => w.trim());
  const unknown = picked.filter((w) => !(WORKLOADS as readonly string[]).includes(w));
  if (unknown.length > 0)
    throw new Error(`unknown workload ${unknown.join(', ')}; pick from ${WORKLOADS.join(', ')}`);
  return new Set(picked as Workload[]);
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
  const report = await runBench(benchConfig(smoke), (line) => console.log(line), onlyWorkloads());
  const dir = process.env.BENCH_RESULTS_DIR ?? path.join(benchDir, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const file = path.join(dir, `${stamp}${smoke ? '-smoke' : ''}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${report.table}\n`);
  const met = report.targets.filter((t) => t.met).length;
  console.log(`targets met: ${met} / ${report.targets.length}`);
  console.log(`results: ${file}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
