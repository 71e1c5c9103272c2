/**
 * Reads from a big room: a page of 50 messages (newest, and at random depths) one request at a
 * time, and a client that is `behind` events late resuming over WebSocket.
 */
import { Histogram, type HistogramData, type LatencySummary, round } from '../histogram.js';
import { CpuMeter, Worker } from '../processes.js';

/** One kind of page, one request at a time: latency, and the server's CPU time per request. */
export interface PageReads extends LatencySummary {
  failed: number;
  serverCpuUsPerRequest: number;
}

export interface HistoryResult {
  roomEvents: number;
  newest: PageReads;
  deep: PageReads;
  /**
   * The floor: `GET /healthz` on the same server with the same client, one at a time. What a
   * request costs with no work behind it (HTTP, loopback, scheduling on this machine).
   */
  floor: PageReads;
}

/**
 * Pages of 50 (newest, or at random depths with `before=`) and `GET /healthz` as the floor,
 * each `requests` times after a warm-up. The shared machine's load swings latency by 10x from
 * one minute to the next; the server's CPU per request, read from /proc, does not swing so.
 */
export async function readPages(options: {
  origin: string;
  serverPid: number;
  token: string;
  roomId: string;
  lastSeq: number;
  requests: number;
}): Promise<{ newest: PageReads; deep: PageReads; floor: PageReads }> {
  const worker = new Worker('http-load.ts');
  try {
    const run = async (randomBeforeMax?: number, path = `/rooms/${options.roomId}/messages?limit=50`) => {
      const cpu = new CpuMeter(() => [options.serverPid]);
      cpu.start();
      const r = await worker.call<{ ok: number; failed: number; histogram: HistogramData }>('run', {
        origin: options.origin,
        method: 'GET',
        path,
        headers: { Authorization: `Bearer ${options.token}` },
        ...(randomBeforeMax === undefined ? {} : { randomBeforeMax }),
        connections: 1,
        durationMs: 120_000,
        maxRequests: options.requests,
      });
      const { cpuSeconds } = cpu.stop();
      const histogram = new Histogram();
      histogram.merge(r.histogram);
      return {
        ...histogram.summary(),
        failed: r.failed,
        serverCpuUsPerRequest: round((cpuSeconds * 1e6) / Math.max(1, r.ok), 0),
      };
    };
    await run(); // warm-up: JIT and the page cache
    await run(options.lastSeq);
    return { newest: await run(), deep: await run(options.lastSeq), floor: await run(undefined, '/healthz') };
  } finally {
    await worker.stop();
  }
}

export async function history(options: {
  origin: string;
  serverPid: number;
  token: string;
  roomId: string;
  lastSeq: number;
  requests: number;
  log: (line: string) => void;
}): Promise<HistoryResult> {
  const { newest, deep, floor } = await readPages(options);
  options.log(
    `  history (${options.lastSeq} events): newest page p50 ${newest.p50Ms} ms p99 ${newest.p99Ms} ms; ` +
      `random page p50 ${deep.p50Ms} ms p99 ${deep.p99Ms} ms; GET /healthz p50 ${floor.p50Ms} ms p99 ${floor.p99Ms} ms`,
  );
  return { roomEvents: options.lastSeq, newest, deep, floor };
}

export interface CatchUpResult {
  behind: number;
  repeats: number;
  medianMs: number;
  maxMs: number;
  medianFromResumeMs: number;
  eventsPerSecond: number;
}

export async function catchUp(options: {
  wsUrl: string;
  token: string;
  roomId: string;
  lastSeq: number;
  behind: number;
  repeats: number;
  log: (line: string) => void;
}): Promise<CatchUpResult> {
  const worker = new Worker('ws-driver.ts');
  try {
    const runs: { ms: number; fromResumeMs: number; events: number }[] = [];
    for (let i = 0; i < options.repeats; i++) {
      runs.push(
        await worker.call('catchUp', {
          url: options.wsUrl,
          token: options.token,
          roomId: options.roomId,
          cursor: options.lastSeq - options.behind,
          lastSeq: options.lastSeq,
          timeoutMs: 60_000,
        }),
      );
    }
    const byTime = [...runs].sort((a, b) => a.ms - b.ms);
    const median = byTime[Math.floor(byTime.length / 2)]!;
    const result: CatchUpResult = {
      behind: options.behind,
      repeats: runs.length,
      medianMs: round(median.ms, 1),
      maxMs: round(byTime[byTime.length - 1]!.ms, 1),
      medianFromResumeMs: round(median.fromResumeMs, 1),
      eventsPerSecond: Math.round(options.behind / (median.ms / 1000)),
    };
    options.log(
      `  catch-up ${options.behind} events: median ${result.medianMs} ms (max ${result.maxMs} ms), ` +
        `${result.eventsPerSecond} events/s`,
    );
    return result;
  } finally {
    await worker.stop();
  }
}
