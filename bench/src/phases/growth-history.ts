/**
 * How reads and startup grow with a room's log: for rooms of 10k … 10M events (one cached
 * fixture each), the server's startup time (spawn to `/readyz`) and resident memory, history
 * page latency (newest page and pages at random depths, one request at a time) and the time a
 * client `behind` events late takes to catch up, and the database's bytes per message.
 */
import { round } from '../histogram.js';
import { CpuMeter, cpuSecondsOf, rssBytesOf } from '../processes.js';
import { startParley } from '../servers.js';
import { historyFixture } from './growth-fixtures.js';
import { type CatchUpResult, catchUp, type PageReads, readPages } from './reads.js';

export interface GrowthHistoryRow {
  events: number;
  bytesPerMessage: number;
  databaseGiB: number;
  seedSeconds: number;
  /** Spawn to a `/readyz` answer, each start (the first may read a cold file). */
  startupMs: number[];
  /** The server's CPU time from spawn to `/readyz`, each start (what load does not swing). */
  startupCpuMs: number[];
  /** Resident memory right after each start, MiB. */
  startupRssMiB: number[];
  /** Resident memory after the reads, MiB. */
  rssAfterReadsMiB: number;
  history: { newest: PageReads; deep: PageReads; floor: PageReads };
  catchUp: CatchUpResult;
  /** The server's CPU time per event caught up (all repeats). */
  catchUpCpuUsPerEvent: number;
}

export async function growthHistory(options: {
  sizes: number[];
  requests: number;
  catchUpBehind: number;
  catchUpRepeats: number;
  startupRepeats: number;
  log: (line: string) => void;
}): Promise<GrowthHistoryRow[]> {
  const rows: GrowthHistoryRow[] = [];
  for (const events of options.sizes) {
    const fixture = await historyFixture(events, options.log);
    const startupMs: number[] = [];
    const startupRssMiB: number[] = [];
    const startupCpuMs: number[] = [];
    const timedStart = async () => {
      const started = performance.now();
      const server = await startParley(fixture.dataDir);
      startupMs.push(round(performance.now() - started, 0));
      startupRssMiB.push(round(rssBytesOf(server.pid) / 2 ** 20, 1));
      startupCpuMs.push(round(cpuSecondsOf(server.pid) * 1000, 0));
      return server;
    };
    for (let i = 1; i < options.startupRepeats; i++) await (await timedStart()).stop();
    const server = await timedStart();
    try {
      const historyResult = await readPages({
        origin: server.origin,
        serverPid: server.pid,
        token: fixture.readerToken,
        roomId: fixture.roomId,
        lastSeq: fixture.lastSeq,
        requests: options.requests,
      });
      const catchUpCpu = new CpuMeter(() => [server.pid]);
      catchUpCpu.start();
      const catchUpResult = await catchUp({
        wsUrl: server.wsUrl,
        token: fixture.readerToken,
        roomId: fixture.roomId,
        lastSeq: fixture.lastSeq,
        behind: Math.min(options.catchUpBehind, fixture.lastSeq - 1),
        repeats: options.catchUpRepeats,
        log: options.log,
      });
      const catchUpCpuSeconds = catchUpCpu.stop().cpuSeconds;
      const row: GrowthHistoryRow = {
        events,
        bytesPerMessage: fixture.bytesPerMessage,
        databaseGiB: round(fixture.databaseBytes / 2 ** 30, 2),
        seedSeconds: fixture.seedSeconds,
        startupMs,
        startupCpuMs,
        startupRssMiB,
        rssAfterReadsMiB: round(rssBytesOf(server.pid) / 2 ** 20, 1),
        history: historyResult,
        catchUp: catchUpResult,
        catchUpCpuUsPerEvent: round(
          (catchUpCpuSeconds * 1e6) / (catchUpResult.behind * catchUpResult.repeats),
          2,
        ),
      };
      options.log(
        `  growth history ${events.toLocaleString('en-US')} events: startup ${startupMs.join('/')} ms (CPU ${startupCpuMs.join('/')} ms), ` +
          `RSS ${startupRssMiB.join('/')} MiB, ${row.bytesPerMessage} B/message; pages p50 ${historyResult.newest.p50Ms} ms ` +
          `(${historyResult.newest.serverCpuUsPerRequest} µs CPU) newest, ${historyResult.deep.p50Ms} ms ` +
          `(${historyResult.deep.serverCpuUsPerRequest} µs CPU) deep; catch-up ${row.catchUpCpuUsPerEvent} µs CPU/event`,
      );
      rows.push(row);
    } finally {
      await server.stop();
    }
  }
  return rows;
}
