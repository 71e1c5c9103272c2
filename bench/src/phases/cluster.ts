/**
 * Cluster mode: Parley scaled out (start-cluster.mjs: PostgreSQL, Redis, s3rver, N instances,
 * nginx), measured in two ways.
 *
 * 1. Idle sockets spread over the instances (RSS per socket per instance).
 * 2. The fan-out workload of the single-process run (phases/fan-out.ts, same members, sender and
 *    rates) with the members spread evenly over the instances and the sender sending through
 *    each instance in turn, against single-process Parley (embedded SQLite) in the same run.
 *    Both are repeated, alternating which goes first (the machine drifts between minutes), and
 *    summarised as median and spread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster } from '../cluster.js';
import type { BenchConfig } from '../config.js';
import { round } from '../histogram.js';
import { processTreeOf, sleep } from '../processes.js';
import { registerAdmin } from '../register.js';
import { seedPostgres } from '../seed-postgres.js';
import { startParley } from '../servers.js';
import { type ClusterConnectionsResult, clusterConnections } from './cluster-connections.js';
import { type FanOutResult, fanOut } from './fan-out.js';

/** Median and extremes of one figure over the repetitions. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface ClusterFanOutSummary {
  ratePerSecond: number;
  deliveredPerSecond: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  /** Instances' CPU (summed) per delivery, µs; one process's for single. */
  serverCpuUsPerDelivery: Spread;
  /** Cluster only: Redis and PostgreSQL per delivery, µs. */
  servicesCpuUsPerDelivery?: Spread;
  deliveredOfExpected: Spread;
}

export interface ClusterResults {
  instances: number;
  startSeconds: number;
  seedSeconds: number;
  connections: ClusterConnectionsResult;
  fanOut: {
    members: number;
    repeats: number;
    cluster: FanOutResult[];
    single: FanOutResult[];
    summary: { cluster: ClusterFanOutSummary[]; single: ClusterFanOutSummary[] };
  };
  phaseSeconds: { start: number; connections: number; fanOut: number };
}

export async function clusterMode(options: {
  config: BenchConfig;
  /** Single-process Parley: a seeded DATA_DIR (fan-out members in #general) and its sender. */
  single: { dataDir: string; adminToken: string; generalRoomId: string; memberTokens: string[] };
  log: (line: string) => void;
}): Promise<ClusterResults> {
  const { config, log } = options;
  const c = config.cluster;
  const clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-cluster-'));
  let mark = performance.now();
  const lap = () => {
    const seconds = round((performance.now() - mark) / 1000, 1);
    mark = performance.now();
    return seconds;
  };
  log(
    `cluster: ${c.instances} instances behind nginx, PostgreSQL, Redis (scripts/cluster/start-cluster.mjs)`,
  );
  const cluster = await startCluster({ dataDir: clusterDir, instances: c.instances, log }).catch((error) => {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    throw error;
  });
  try {
    // The sender goes through the API (first account: admin, in #general); the rest is seeded.
    const adminToken = await registerAdmin(cluster.origin);
    const seeded = await seedPostgres(cluster.databaseUrl, {
      fanOutUsers: c.fanOutMembers,
      idleUsers: Math.ceil(c.sockets / config.socketsPerUser),
    });
    log(
      `  seeded ${c.fanOutMembers + seeded.idleTokens.length} accounts in PostgreSQL in ${round(seeded.seconds, 1)} s`,
    );
    const start = lap();

    log(`  ${c.sockets} idle sockets over ${c.instances} instances`);
    const connections = await clusterConnections({
      instances: cluster.instances,
      balancerPid: cluster.balancer.pid,
      redisPid: cluster.redis.pid,
      count: c.sockets,
      tokens: Array.from(
        { length: c.sockets },
        (_, i) => seeded.idleTokens[Math.floor(i / config.socketsPerUser)]!,
      ),
      workers: c.socketWorkers,
      sourceAddresses: c.sourceAddresses,
      concurrency: c.concurrency,
      settleMs: config.settleMs,
      log,
    });
    // The instances let go of 50,000 sockets (and Redis of their places) before fan-out.
    await sleep(config.settleMs);
    const connectionsSeconds = lap();

    log(`  fan-out, ${c.fanOutMembers} members: cluster vs one process, ${c.repeats} times`);
    const single = await startParley(options.single.dataDir);
    const clusterRuns: FanOutResult[] = [];
    const singleRuns: FanOutResult[] = [];
    try {
      const common = {
        members: c.fanOutMembers,
        workers: config.fanOut.workers,
        rates: config.fanOut.rates,
        settleMs: config.settleMs,
        log,
      };
      const runSingle = async () =>
        singleRuns.push(
          await fanOut({
            ...common,
            label: 'one process',
            target: { kind: 'parley', url: single.wsUrl },
            serverPids: [single.pid],
            memberTokens: options.single.memberTokens.slice(0, c.fanOutMembers),
            sender: { token: options.single.adminToken, roomId: options.single.generalRoomId },
          }),
        );
      const runCluster = async () =>
        clusterRuns.push(
          await fanOut({
            ...common,
            label: 'cluster',
            target: { kind: 'parley', url: cluster.instances[0]!.wsUrl },
            urls: cluster.instances.map((i) => i.wsUrl),
            serverPids: cluster.instances.map((i) => i.pid),
            servicePids: () => [cluster.redis.pid, ...processTreeOf(cluster.postgres.pid)],
            serviceReapers: () => [cluster.postgres.pid],
            memberTokens: seeded.fanOutTokens,
            sender: { token: adminToken, roomId: seeded.generalRoomId },
          }),
        );
      for (let r = 0; r < c.repeats; r++) {
        log(`  repetition ${r + 1}/${c.repeats}`);
        const order = r % 2 === 0 ? [runSingle, runCluster] : [runCluster, runSingle];
        for (const run of order) {
          await run();
          // What a cut-off drain left queued is written out (or dropped) before the next run.
          await sleep(config.settleMs);
        }
      }
    } finally {
      await single.stop();
    }
    const fanOutSeconds = lap();
    return {
      instances: c.instances,
      startSeconds: round(cluster.startSeconds, 1),
      seedSeconds: round(seeded.seconds, 1),
      connections,
      fanOut: {
        members: c.fanOutMembers,
        repeats: c.repeats,
        cluster: clusterRuns,
        single: singleRuns,
        summary: { cluster: summarise(clusterRuns), single: summarise(singleRuns) },
      },
      phaseSeconds: { start, connections: connectionsSeconds, fanOut: fanOutSeconds },
    };
  } finally {
    const stopping = performance.now();
    await cluster.stop();
    log(`  cluster stopped in ${round((performance.now() - stopping) / 1000, 1)} s`);
    fs.rmSync(clusterDir, { recursive: true, force: true });
  }
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median: round(median, 3), min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

/** Per rate, over the repetitions. */
function summarise(results: FanOutResult[]): ClusterFanOutSummary[] {
  const rates = results[0]?.runs.map((r) => r.ratePerSecond) ?? [];
  return rates.map((ratePerSecond, i) => {
    const runs = results.map((r) => r.runs[i]!).filter(Boolean);
    const services = runs.map((r) => r.servicesCpuUsPerDelivery).filter((v) => v !== undefined);
    return {
      ratePerSecond,
      deliveredPerSecond: spread(runs.map((r) => r.deliveredPerSecond)),
      p50Ms: spread(runs.map((r) => r.latency.p50Ms)),
      p99Ms: spread(runs.map((r) => r.latency.p99Ms)),
      serverCpuUsPerDelivery: spread(runs.map((r) => r.serverCpuUsPerDelivery)),
      ...(services.length > 0 && { servicesCpuUsPerDelivery: spread(services) }),
      deliveredOfExpected: spread(runs.map((r) => (r.expected > 0 ? round(r.delivered / r.expected, 3) : 0))),
    };
  });
}
