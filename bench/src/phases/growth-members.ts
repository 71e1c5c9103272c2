/**
 * How fan-out cost grows with a room's size: rooms of 10 … 10,000 connected members (one
 * socket each, one cached fixture), one member sending at a rate chosen so that every size
 * makes about the same deliveries per second, repeated; the server's CPU time per delivery.
 * A small room pays the message's own cost (the `send`, the job, the commit) over few
 * deliveries, so its CPU per message is reported too.
 */
import { round } from '../histogram.js';
import { startParley } from '../servers.js';
import { type FanOutRun, fanOut } from './fan-out.js';
import { membersFixture } from './growth-fixtures.js';

export interface GrowthMembersRow {
  members: number;
  connected: number;
  connectSeconds: number;
  ratePerSecond: number;
  runs: FanOutRun[];
  /** Medians over the runs. */
  cpuUsPerDelivery: number;
  cpuUsPerMessage: number;
  p50Ms: number;
  p99Ms: number;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export async function growthMembers(options: {
  sizes: number[];
  /** Deliveries per second aimed at (the message rate is this over the room size). */
  deliveriesPerSecond: number;
  maxMessagesPerSecond: number;
  runMs: number;
  repeats: number;
  workers: number;
  settleMs: number;
  log: (line: string) => void;
}): Promise<GrowthMembersRow[]> {
  const fixture = await membersFixture(options.sizes, options.log);
  const rows: GrowthMembersRow[] = [];
  for (const { size, roomId } of fixture.rooms) {
    const tokens = fixture.tokens.slice(0, size);
    const ratePerSecond = Math.max(
      1,
      Math.min(options.maxMessagesPerSecond, Math.round(options.deliveriesPerSecond / size)),
    );
    const server = await startParley(fixture.dataDir);
    try {
      const result = await fanOut({
        target: { kind: 'parley', url: server.wsUrl },
        label: `parley ${size} members`,
        serverPids: [server.pid],
        members: size,
        workers: Math.min(options.workers, size),
        memberTokens: tokens,
        sender: { token: tokens[0], roomId },
        rates: Array.from({ length: options.repeats }, () => ({
          perSecond: ratePerSecond,
          durationMs: options.runMs,
        })),
        settleMs: options.settleMs,
        log: options.log,
      });
      const cpuPerMessage = result.runs.map((run) =>
        run.sent > 0 ? (run.serverCpuUsPerDelivery * run.delivered) / run.sent : 0,
      );
      rows.push({
        members: size,
        connected: result.connected,
        connectSeconds: result.connectSeconds,
        ratePerSecond,
        runs: result.runs,
        cpuUsPerDelivery: median(result.runs.map((run) => run.serverCpuUsPerDelivery)),
        cpuUsPerMessage: round(median(cpuPerMessage), 1),
        p50Ms: median(result.runs.map((run) => run.latency.p50Ms)),
        p99Ms: median(result.runs.map((run) => run.latency.p99Ms)),
      });
    } finally {
      await server.stop();
    }
  }
  return rows;
}
