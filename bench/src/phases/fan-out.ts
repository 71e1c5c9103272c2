/**
 * Fan-out: one room of N connected members, one sender at fixed rates; delivered events/s and
 * submit-to-receipt latency at every member. The same client processes drive every target.
 */
import { Histogram, type HistogramData, type LatencySummary, nowUs, round } from '../histogram.js';
import type { WsTarget } from '../payload.js';
import { CpuMeter, sleep, Worker, writeSyscallsOf } from '../processes.js';

export interface FanOutRun {
  ratePerSecond: number;
  sent: number;
  expected: number;
  delivered: number;
  deliveredPerSecond: number;
  latency: LatencySummary;
  serverCpuPercent: number;
  /** Server CPU time (user + system, every server process summed) per delivery, µs. */
  serverCpuUsPerDelivery: number;
  /** The same for the services behind a cluster (Redis, PostgreSQL), when there are any. */
  servicesCpuUsPerDelivery?: number;
  loadGenCpuPercent: number;
  /** The member clients' CPU (their processes, user + system) per delivery, µs: what a receiver pays. */
  clientCpuUsPerDelivery: number;
  /** How the bytes arrive at the members: deliveries per TCP read, and bytes per read. */
  framesPerRead: number;
  bytesPerRead: number;
  /** The server's write system calls per delivery (1 = a write per event per socket). */
  serverWritesPerDelivery: number;
}

export interface FanOutResult {
  target: string;
  members: number;
  connected: number;
  connectSeconds: number;
  runs: FanOutRun[];
}

interface Stats {
  deliveries: number;
  reads: number;
  readBytes: number;
  cpuUs: number;
  lastAtUs: number;
  histogram: HistogramData;
}

export async function fanOut(options: {
  target: WsTarget;
  /** What the log lines call the target (its kind by default). */
  label?: string;
  /** Every process of the server under test (a cluster's instances): their CPU is summed. */
  serverPids: number[];
  /** Processes behind the server whose CPU is reported apart (a cluster's Redis and PostgreSQL). */
  servicePids?: () => number[];
  /** Among those, parents whose ended children count too (PostgreSQL's postmaster). */
  serviceReapers?: () => number[];
  /** A cluster: members spread evenly over these instance URLs, the sender sends through each in turn. */
  urls?: string[];
  members: number;
  workers: number;
  /** Parley: one token per member, and the sender's token and room. */
  memberTokens: string[];
  sender: { token?: string; roomId?: string };
  rates: { perSecond: number; durationMs: number }[];
  settleMs: number;
  log: (line: string) => void;
}): Promise<FanOutResult> {
  const { target, members } = options;
  const label = options.label ?? target.kind;
  const clients = Array.from({ length: options.workers }, () => new Worker('ws-clients.ts'));
  const driver = new Worker('ws-driver.ts');
  try {
    const connectStart = performance.now();
    const perWorker = Math.ceil(members / clients.length);
    const connects = await Promise.all(
      clients.map((worker, i) => {
        const from = i * perWorker;
        const count = Math.max(0, Math.min(members, from + perWorker) - from);
        return worker.call<{ connected: number; failed: number }>('connect', {
          target,
          tokens: options.memberTokens.slice(from, from + count),
          count,
          localAddresses: ['127.0.0.1'],
          concurrency: 32,
          timeoutMs: 30_000,
          // Offset by the worker's first member, so that the members spread evenly overall.
          urls: options.urls && rotate(options.urls, from),
        });
      }),
    );
    const connected = connects.reduce((sum, c) => sum + c.connected, 0);
    const connectSeconds = round((performance.now() - connectStart) / 1000, 2);
    options.log(`  ${label}: ${connected}/${members} members connected in ${connectSeconds} s`);
    await sleep(options.settleMs); // let presence announcements settle

    const runs: FanOutRun[] = [];
    for (const rate of options.rates) {
      await Promise.all(clients.map((w) => w.call('reset')));
      const serverCpu = new CpuMeter(() => options.serverPids);
      const servicesCpu = options.servicePids && new CpuMeter(options.servicePids, options.serviceReapers);
      servicesCpu?.start();
      const loadCpu = new CpuMeter(() => [driver.pid, ...clients.map((w) => w.pid)]);
      const serverWrites = () => sum(options.serverPids, writesOf);
      const writesAtStart = serverWrites();
      serverCpu.start();
      loadCpu.start();
      const startUs = nowUs();
      const { sent } = await driver.call<{ sent: number }>('sendAtRate', {
        target,
        ...options.sender,
        rate: rate.perSecond,
        durationMs: rate.durationMs,
        urls: options.urls,
      });
      const expected = sent * connected;
      // Drain: until every delivery arrived, or nothing arrived for 3 s (bounded at 30 s).
      let stats: Stats[] = [];
      let last = -1;
      let stillSince = performance.now();
      const deadline = performance.now() + 30_000;
      for (;;) {
        stats = await Promise.all(clients.map((w) => w.call<Stats>('stats')));
        const delivered = stats.reduce((sum, s) => sum + s.deliveries, 0);
        if (delivered >= expected || performance.now() > deadline) break;
        if (delivered !== last) {
          last = delivered;
          stillSince = performance.now();
        } else if (performance.now() - stillSince > 3_000) break;
        await sleep(250);
      }
      const server = serverCpu.stop();
      const writes = serverWrites() - writesAtStart;
      const services = servicesCpu?.stop();
      const loadGenCpuPercent = loadCpu.stopPercent();
      const histogram = new Histogram();
      for (const s of stats) histogram.merge(s.histogram);
      const delivered = histogram.count;
      const lastAtUs = Math.max(...stats.map((s) => s.lastAtUs));
      const seconds = Math.max(1e-6, (lastAtUs - startUs) / 1e6);
      const run: FanOutRun = {
        ratePerSecond: rate.perSecond,
        sent,
        expected,
        delivered,
        deliveredPerSecond: Math.round(delivered / seconds),
        latency: histogram.summary(),
        serverCpuPercent: server.percent,
        serverCpuUsPerDelivery: perDeliveryUs(server.cpuSeconds, delivered),
        ...(services && { servicesCpuUsPerDelivery: perDeliveryUs(services.cpuSeconds, delivered) }),
        loadGenCpuPercent,
        clientCpuUsPerDelivery: delivered > 0 ? round(sum(stats, (s) => s.cpuUs) / delivered, 2) : 0,
        framesPerRead: round(
          delivered /
            Math.max(
              1,
              sum(stats, (s) => s.reads),
            ),
          2,
        ),
        serverWritesPerDelivery: delivered > 0 ? round(writes / delivered, 3) : 0,
        bytesPerRead: Math.round(
          sum(stats, (s) => s.readBytes) /
            Math.max(
              1,
              sum(stats, (s) => s.reads),
            ),
        ),
      };
      options.log(
        `  ${label} @${rate.perSecond}/s: ${run.deliveredPerSecond} deliveries/s (${delivered}/${expected}), ` +
          `p50 ${run.latency.p50Ms} ms p99 ${run.latency.p99Ms} ms max ${run.latency.maxMs} ms, ` +
          `server CPU ${server.percent}% (${run.serverCpuUsPerDelivery} µs/delivery` +
          `${services ? `, Redis + PostgreSQL ${run.servicesCpuUsPerDelivery} µs` : ''}), load gen CPU ${loadGenCpuPercent}%, ` +
          `clients ${run.clientCpuUsPerDelivery} µs/delivery, ${run.framesPerRead} deliveries and ${run.bytesPerRead} bytes per read, ` +
          `server writes ${run.serverWritesPerDelivery} per delivery`,
      );
      runs.push(run);
      // What did not arrive in time is still on its way: let it land before the next rate, or
      // it is counted there (seen: a rate below saturation "delivering" 4.6× what it sent).
      if (delivered < expected && rate !== options.rates[options.rates.length - 1])
        await untilQuiet(clients, options.log, label);
    }
    return { target: target.kind, members, connected, connectSeconds, runs };
  } finally {
    await Promise.all(clients.map((w) => w.call('closeAll').catch(() => {})));
    await Promise.all([...clients, driver].map((w) => w.stop()));
  }
}

const sum = <T>(items: T[], of: (item: T) => number) => items.reduce((total, item) => total + of(item), 0);

/** Until no delivery arrives for 2 s (at most 120 s). */
async function untilQuiet(clients: Worker[], log: (line: string) => void, label: string): Promise<void> {
  const started = performance.now();
  let last = -1;
  let stillSince = performance.now();
  while (performance.now() - started < 120_000) {
    const stats = await Promise.all(clients.map((w) => w.call<Stats>('stats')));
    const delivered = sum(stats, (s) => s.deliveries);
    if (delivered !== last) {
      last = delivered;
      stillSince = performance.now();
    } else if (performance.now() - stillSince > 2_000) break;
    await sleep(250);
  }
  log(`  ${label}: backlog landed in ${Math.round((performance.now() - started) / 1000)} s (not measured)`);
}

/** 0 when the process is gone or not readable (its count is then not part of the figure). */
const writesOf = (pid: number) => {
  try {
    return writeSyscallsOf(pid);
  } catch {
    return 0;
  }
};

const perDeliveryUs = (cpuSeconds: number, deliveries: number) =>
  deliveries > 0 ? round((cpuSeconds * 1e6) / deliveries, 2) : 0;

/** `list` starting at position `from` (wrapping). */
const rotate = (list: string[], from: number) => list.map((_, i) => list[(from + i) % list.length]!);
