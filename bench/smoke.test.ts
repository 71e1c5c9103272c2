/**
 * Keeps the harness working: runs `npm run bench -- --smoke` (tiny sizes, a few seconds) exactly
 * as a person would, and checks only that it finishes and writes a well-formed result. No
 * timing is asserted: this box may be busy, and performance is for the full run to report.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { missingClusterServices } from './src/cluster.js';

const run = promisify(execFile);
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-smoke-'));
const clusterOutDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-smoke-cluster-'));
const growthOutDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-smoke-growth-'));
afterAll(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.rmSync(clusterOutDir, { recursive: true, force: true });
  fs.rmSync(growthOutDir, { recursive: true, force: true });
});

// Cluster mode needs PostgreSQL, Redis and nginx on the machine: in CI their absence fails the
// test below; elsewhere it is skipped, and says so.
const missing = missingClusterServices();
const inCi = process.env.CI === 'true';
if (missing.length > 0 && !inCi)
  console.warn(
    `\n*** bench smoke: SKIPPING cluster mode: ${missing.join(', ')} not found ` +
      '(apt-get install -y redis-server nginx; PostgreSQL 15 in /usr/local/bin). CI=true fails instead. ***\n',
  );

type Json = Record<string, unknown>;
const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;

describe('the benchmark harness in smoke mode', () => {
  it('runs every workload against Parley and the baselines and writes a result file', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/run.ts', '--smoke'], {
      cwd: path.dirname(new URL(import.meta.url).pathname),
      env: { ...process.env, BENCH_RESULTS_DIR: outDir },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).toContain('| Metric |');

    const files = fs.readdirSync(outDir).filter((f) => f.endsWith('-smoke.json'));
    expect(files).toHaveLength(1);
    const report = JSON.parse(fs.readFileSync(path.join(outDir, files[0]!), 'utf8')) as Json & {
      results: Json & {
        fanOut: {
          belowSaturation: { perSecond: number };
          rounds: Record<
            string,
            {
              connected: number;
              runs: {
                deliveredPerSecond: number;
                latency: Json;
                serverCpuUsPerDelivery: number;
                clientCpuUsPerDelivery: number;
                framesPerRead: number;
              }[];
            }[]
          >;
          summary: Record<string, { deliveredPerSecond: { median: number } }[]>;
        };
        connections: { parley: { connected: number; connectSeconds: number }[]; raw: { connected: number } };
        ingest: { express: Json; parleyHttp: Json; parleyWs: Json; committed: number; allCommitted: boolean };
        history: { newest: Json; deep: Json; floor: Json };
        catchUp: Json;
      };
      targets: { name: string; met: boolean }[];
    };

    expect(report.smoke).toBe(true);
    expect(positive(report.results.fanOut.belowSaturation.perSecond)).toBe(true);
    for (const target of ['parley', 'raw', 'sio']) {
      const rounds = report.results.fanOut.rounds[target]!;
      expect(rounds.length).toBeGreaterThan(0);
      for (const fan of rounds) {
        expect(positive(fan.connected)).toBe(true);
        // The rate below saturation, then the configured ones.
        expect(fan.runs).toHaveLength(2);
        for (const r of fan.runs) {
          expect(positive(r.deliveredPerSecond)).toBe(true);
          expect(positive(r.latency.p99Ms)).toBe(true);
          expect(typeof r.serverCpuUsPerDelivery).toBe('number');
          expect(typeof r.clientCpuUsPerDelivery).toBe('number');
          expect(positive(r.framesPerRead)).toBe(true);
        }
      }
      for (const s of report.results.fanOut.summary[target]!)
        expect(positive(s.deliveredPerSecond.median)).toBe(true);
    }
    for (const c of report.results.connections.parley) {
      expect(positive(c.connected)).toBe(true);
      expect(positive(c.connectSeconds)).toBe(true);
    }
    expect(positive(report.results.connections.raw.connected)).toBe(true);
    for (const sweep of [
      report.results.ingest.express,
      report.results.ingest.parleyHttp,
      report.results.ingest.parleyWs,
    ])
      expect(positive(sweep.maxPerSecond)).toBe(true);
    expect(positive(report.results.ingest.committed)).toBe(true);
    expect(report.results.ingest.allCommitted).toBe(true);
    expect(positive(report.results.history.newest.p99Ms)).toBe(true);
    expect(positive(report.results.history.deep.p99Ms)).toBe(true);
    expect(positive(report.results.history.floor.p99Ms)).toBe(true);
    expect(positive(report.results.catchUp.medianMs)).toBe(true);
    expect(report.targets.length).toBeGreaterThan(0);
    for (const t of report.targets) expect(typeof t.met).toBe('boolean');
  });
});

describe('the benchmark harness in cluster mode, smoke sizes', () => {
  it.skipIf(missing.length > 0 && !inCi)(
    'starts the cluster, holds idle sockets on every instance and compares fan-out with one process',
    async () => {
      expect(missing, 'services cluster mode needs').toEqual([]);
      await run(process.execPath, ['--import', 'tsx', 'src/run.ts', '--smoke', '--only=cluster'], {
        cwd: path.dirname(new URL(import.meta.url).pathname),
        env: { ...process.env, BENCH_RESULTS_DIR: clusterOutDir },
        maxBuffer: 16 * 1024 * 1024,
      });
      const files = fs.readdirSync(clusterOutDir).filter((f) => f.endsWith('-smoke.json'));
      expect(files).toHaveLength(1);
      const report = JSON.parse(fs.readFileSync(path.join(clusterOutDir, files[0]!), 'utf8')) as {
        workloads: string[];
        results: {
          cluster: {
            connections: { requested: number; ready: number; instances: { sockets: number }[] };
            fanOut: Record<'cluster' | 'single', { connected: number; runs: FanOutRun[] }[]>;
          };
        };
      };
      expect(report.workloads).toEqual(['cluster']);
      const { connections, fanOut } = report.results.cluster;
      expect(connections.ready).toBe(connections.requested);
      expect(connections.instances).toHaveLength(3);
      for (const instance of connections.instances) expect(positive(instance.sockets)).toBe(true);
      for (const target of ['cluster', 'single'] as const) {
        expect(fanOut[target].length).toBeGreaterThan(0);
        for (const result of fanOut[target]) {
          expect(positive(result.connected)).toBe(true);
          for (const r of result.runs) {
            expect(positive(r.deliveredPerSecond)).toBe(true);
            expect(positive(r.latency.p99Ms)).toBe(true);
            expect(positive(r.serverCpuUsPerDelivery)).toBe(true);
          }
        }
      }
    },
  );
});

type FanOutRun = { deliveredPerSecond: number; latency: Json; serverCpuUsPerDelivery: number };

describe('the growth workloads, smoke sizes', () => {
  // Once in four CI runs this hung until its time limit (the cause not yet found; a typist
  // socket that never became ready is one way, now refused after 30 s): a second attempt keeps a
  // loaded machine from failing the whole suite, and a harness that is really broken fails both.
  it('measures history by log size, CPU per delivery by room size, ready by rooms per user, and typing', {
    timeout: 150_000,
    retry: 1,
  }, async () => {
    // A retry starts from nothing: no result of a failed attempt is counted.
    for (const file of fs.readdirSync(growthOutDir))
      fs.rmSync(path.join(growthOutDir, file), { recursive: true, force: true });
    await run(process.execPath, ['--import', 'tsx', 'src/run.ts', '--smoke', '--only=growth'], {
      cwd: path.dirname(new URL(import.meta.url).pathname),
      // Fixtures of their own: a fresh cache proves the seeding, not only the reuse.
      env: {
        ...process.env,
        BENCH_RESULTS_DIR: growthOutDir,
        BENCH_GROWTH_CACHE: path.join(growthOutDir, 'cache'),
      },
      maxBuffer: 16 * 1024 * 1024,
      // Killed before the test's own limit, so a hung attempt leaves nothing running for the retry.
      timeout: 140_000,
    });
    const files = fs.readdirSync(growthOutDir).filter((f) => f.endsWith('-smoke.json'));
    expect(files).toHaveLength(1);
    const report = JSON.parse(fs.readFileSync(path.join(growthOutDir, files[0]!), 'utf8')) as {
      workloads: string[];
      results: { growth: GrowthJson };
      targets: { name: string; met: boolean }[];
    };
    expect(report.workloads).toEqual(['growth']);
    const { history, members, rooms, typing } = report.results.growth;
    expect(history.map((h) => h.events)).toEqual([1_000, 5_000]);
    for (const h of history) {
      expect(positive(h.history.newest.p50Ms) && positive(h.history.deep.p50Ms)).toBe(true);
      expect(positive(h.catchUp.medianMs) && positive(h.bytesPerMessage)).toBe(true);
      expect(positive(h.startupMs[0]) && positive(h.startupRssMiB[0])).toBe(true);
    }
    for (const m of members) {
      expect(m.connected).toBe(m.members);
      expect(positive(m.cpuUsPerDelivery)).toBe(true);
    }
    for (const r of rooms) {
      expect(r.connected).toBe(r.sockets);
      expect(positive(r.ready.p50Ms)).toBe(true);
    }
    expect(positive(typing.keystrokes) && positive(typing.typingFrames)).toBe(true);
    // Coalesced: never more typing frames than one per member per typist per started second.
    expect(typing.typingFrames).toBeLessThanOrEqual(
      typing.listeners * typing.typists * Math.ceil(typing.seconds),
    );
    expect(typing.framesPerReaction).toBe(typing.listeners);
    expect(report.targets.filter((t) => t.name.startsWith('growth:')).length).toBeGreaterThanOrEqual(4);
    // ~12 server starts (4 of them to migrate fresh fixtures): minutes when the machine is busy.
  });
});

type Latency = { p50Ms: number };
type GrowthJson = {
  history: {
    events: number;
    bytesPerMessage: number;
    startupMs: number[];
    startupRssMiB: number[];
    history: { newest: Latency; deep: Latency };
    catchUp: { medianMs: number };
  }[];
  members: { members: number; connected: number; cpuUsPerDelivery: number }[];
  rooms: { sockets: number; connected: number; ready: Latency }[];
  typing: {
    keystrokes: number;
    typingFrames: number;
    listeners: number;
    typists: number;
    seconds: number;
    framesPerReaction: number;
  };
};
