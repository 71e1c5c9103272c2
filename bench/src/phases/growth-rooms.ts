/**
 * How connecting grows with the rooms a user is in: users in 1, 100 and 1,000 rooms (one
 * cached fixture), each group on a fresh server; sockets opened one at a time (so each
 * connect-to-`ready` is timed on a server doing nothing else), held open, and the server's
 * resident memory per socket and CPU per connect read around them.
 */
import { Histogram, type HistogramData, type LatencySummary, round } from '../histogram.js';
import { CpuMeter, rssBytesOf, sleep, Worker } from '../processes.js';
import { startParley } from '../servers.js';
import { roomsPerUserFixture } from './growth-fixtures.js';

export interface GrowthRoomsRow {
  rooms: number;
  sockets: number;
  connected: number;
  failed: number;
  /** Connect-to-ready of each socket, one at a time. */
  ready: LatencySummary;
  serverCpuUsPerConnect: number;
  rssPerSocketKiB: number;
  serverRssAfterMiB: number;
}

export async function growthRooms(options: {
  roomCounts: number[];
  usersPerGroup: number;
  /** Sockets per user (at most the server's cap of 20): sockets = users × this. */
  socketsPerUser: number;
  settleMs: number;
  log: (line: string) => void;
}): Promise<GrowthRoomsRow[]> {
  const fixture = await roomsPerUserFixture(options.roomCounts, options.usersPerGroup, options.log);
  const rows: GrowthRoomsRow[] = [];
  for (const group of fixture.groups) {
    const sockets = group.tokens.length * options.socketsPerUser;
    const tokens = Array.from({ length: sockets }, (_, i) => group.tokens[i % group.tokens.length]!);
    const server = await startParley(fixture.dataDir);
    const worker = new Worker('growth-sockets.ts');
    try {
      // One untimed socket first: the server's first query plans and JIT are not the rooms' cost.
      await worker.call('connect', {
        url: server.wsUrl,
        tokens: tokens.slice(0, 1),
        concurrency: 1,
        localAddresses: [],
        timeoutMs: 30_000,
      });
      await sleep(options.settleMs);
      const before = rssBytesOf(server.pid);
      const cpu = new CpuMeter(() => [server.pid]);
      cpu.start();
      const result = await worker.call<{ connected: number; failed: number; ready: HistogramData }>(
        'connect',
        {
          url: server.wsUrl,
          tokens: tokens.slice(1),
          concurrency: 1,
          localAddresses: [],
          timeoutMs: 30_000,
        },
      );
      const { cpuSeconds } = cpu.stop();
      await sleep(options.settleMs);
      const after = rssBytesOf(server.pid);
      const ready = new Histogram();
      ready.merge(result.ready);
      const opened = tokens.length - 1;
      const row: GrowthRoomsRow = {
        rooms: group.rooms,
        sockets: opened,
        connected: ready.count,
        failed: result.failed,
        ready: ready.summary(),
        serverCpuUsPerConnect: ready.count > 0 ? round((cpuSeconds * 1e6) / ready.count, 0) : 0,
        rssPerSocketKiB: ready.count > 0 ? round((after - before) / ready.count / 1024, 1) : 0,
        serverRssAfterMiB: round(after / 2 ** 20, 1),
      };
      options.log(
        `  growth rooms: user in ${group.rooms} rooms: ready p50 ${row.ready.p50Ms} ms p99 ${row.ready.p99Ms} ms, ` +
          `${row.serverCpuUsPerConnect} µs server CPU/connect, ${row.rssPerSocketKiB} KiB RSS/socket ` +
          `(${row.connected}/${opened} sockets, ${row.failed} failed)`,
      );
      rows.push(row);
    } finally {
      await worker.call('closeAll').catch(() => {});
      await worker.stop();
      await server.stop();
    }
  }
  return rows;
}
