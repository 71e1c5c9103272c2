/**
 * How reads and startup grow with a room's log: for rooms of 10k … 10M events (one cached
 * fixture each), the server's startup time (spawn to `/readyz`) and resident memory, history
 * page latency (newest page and pages at random depths, one request at a time) and the time a
 * client `behind` events late takes to catch up, and the database's bytes per message.
 */
import { round } from '../histogram.js';
import { rssBytesOf } from '../processes.js';
import { startParley } from '../servers.js';
import { historyFixture } from './growth-fixtures.js';
import { type CatchUpResult, catchUp, type HistoryResult, history } from './reads.js';

export interface GrowthHistoryRow {
  events: number;
  bytesPerMessage: number;
  databaseGiB: number;
  seedSeconds: number;
  /** Spawn to a `/readyz` answer, each start (the first may read a cold file). */
  startupMs: number[];
  /** Resident memory right after each start, MiB. */
  startupRssMiB: number[];
  /** Resident memory after the reads, MiB. */
  rssAfterReadsMiB: number;
  history: HistoryResult;
  catchUp: CatchUpResult;
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
    const timedStart = async () => {
      const started = performance.now();
      const server = await startParley(fixture.dataDir);
      startupMs.push(round(performance.now() - started, 0));
      startupRssMiB.push(round(rssBytesOf(server.pid) / 2 ** 20, 1));
      return server;
    };
    for (let i = 1; i < options.startupRepeats; i++) await (await timedStart()).stop();
    const server = await timedStart();
    try {
      const historyResult = await history({
        origin: server.origin,
        token: fixture.readerToken,
        roomId: fixture.roomId,
        lastSeq: fixture.lastSeq,
        requests: options.requests,
        log: options.log,
      });
      const catchUpResult = await catchUp({
        wsUrl: server.wsUrl,
        token: fixture.readerToken,
        roomId: fixture.roomId,
        lastSeq: fixture.lastSeq,
        behind: Math.min(options.catchUpBehind, fixture.lastSeq - 1),
        repeats: options.catchUpRepeats,
        log: options.log,
      });
      const row: GrowthHistoryRow = {
        events,
        bytesPerMessage: fixture.bytesPerMessage,
        databaseGiB: round(fixture.databaseBytes / 2 ** 30, 2),
        seedSeconds: fixture.seedSeconds,
        startupMs,
        startupRssMiB,
        rssAfterReadsMiB: round(rssBytesOf(server.pid) / 2 ** 20, 1),
        history: historyResult,
        catchUp: catchUpResult,
      };
      options.log(
        `  growth history ${events.toLocaleString('en-US')} events: startup ${startupMs.join('/')} ms, ` +
          `RSS ${startupRssMiB.join('/')} MiB, ${row.bytesPerMessage} B/message`,
      );
      rows.push(row);
    } finally {
      await server.stop();
    }
  }
  return rows;
}
