/**
 * Fan-out, three times: Parley, raw `ws` and socket.io measured in interleaved rounds
 * (P R S, P R S, P R S: on a shared machine the load moves, and interleaving spreads it over
 * every server instead of charging one with a busy minute), each round the same rates with
 * fresh member sockets; per rate, the median and the spread (min–max) over the rounds.
 *
 * The rates: the configured ones (the target rate, 1,000 members × 100 msg/s, and a rate past
 * saturation), plus one below saturation: half of what raw `ws` delivers past saturation,
 * measured first (calibration), so that its latency describes the server and not a queue.
 */
import os from 'node:os';
import { round } from '../histogram.js';
import type { WsTarget } from '../payload.js';
import { startBaseline } from '../servers.js';
import { type FanOutResult, fanOut } from './fan-out.js';

export const FAN_OUT_TARGETS = ['parley', 'raw', 'sio'] as const;
export type FanOutTarget = (typeof FAN_OUT_TARGETS)[number];

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** One rate over the rounds, for one server. */
export interface FanOutSummary {
  ratePerSecond: number;
  /** Below saturation (the calibrated rate), the target rate, or past saturation. */
  regime: 'below saturation' | 'configured';
  deliveredPerSecond: Spread;
  deliveredOfExpected: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  serverCpuUsPerDelivery: Spread;
  clientCpuUsPerDelivery: Spread;
  framesPerRead: Spread;
  serverWritesPerDelivery: Spread;
}

export interface FanOutRounds {
  members: number;
  repeats: number;
  order: FanOutTarget[];
  belowSaturation: {
    /** Raw `ws` past saturation (calibration): deliveries/s at the offered rate below. */
    rawOfferedPerSecond: number;
    rawDeliveredPerSecond: number;
    /** Half of that, in messages/s to the room (at least 1). */
    perSecond: number;
  };
  /** 1-minute load average when each round started (the machine is shared). */
  loadAverageAtRounds: number[];
  rounds: Record<FanOutTarget, FanOutResult[]>;
  summary: Record<FanOutTarget, FanOutSummary[]>;
}

export interface FanOutRoundsOptions {
  members: number;
  workers: number;
  rates: { perSecond: number; durationMs: number }[];
  /** The offered rate that saturates raw `ws` (calibration) and how long it is offered. */
  calibration: { perSecond: number; durationMs: number };
  belowSaturationMs: number;
  repeats: number;
  settleMs: number;
  parley: {
    start: () => Promise<{ pid: number; wsUrl: string; stop: () => Promise<void> }>;
    memberTokens: string[];
    sender: { token: string; roomId: string };
  };
  /** BENCH_FANOUT_TARGETS=parley,raw: some servers only (exploration); all three by default. */
  targets?: FanOutTarget[];
  log: (line: string) => void;
}

export async function fanOutRounds(options: FanOutRoundsOptions): Promise<FanOutRounds> {
  const { log } = options;
  const order = options.targets ?? [...FAN_OUT_TARGETS];
  const common = { members: options.members, workers: options.workers, settleMs: options.settleMs, log };

  const measure = async (
    kind: FanOutTarget,
    rates: { perSecond: number; durationMs: number }[],
  ): Promise<FanOutResult> => {
    if (kind === 'parley') {
      const server = await options.parley.start();
      try {
        return await fanOut({
          ...common,
          rates,
          target: { kind, url: server.wsUrl },
          serverPids: [server.pid],
          memberTokens: options.parley.memberTokens,
          sender: options.parley.sender,
        });
      } finally {
        await server.stop();
      }
    }
    const server = await startBaseline(kind);
    try {
      const target: WsTarget = { kind, url: `ws://127.0.0.1:${server.port}/` };
      return await fanOut({
        ...common,
        rates,
        target,
        serverPids: [server.pid],
        memberTokens: [],
        sender: {},
      });
    } finally {
      await server.stop();
    }
  };

  log(`  calibration: raw ws offered ${options.calibration.perSecond} msg/s`);
  const calibration = await measure('raw', [options.calibration]);
  const rawDelivered = calibration.runs[0]?.deliveredPerSecond ?? 0;
  const belowPerSecond = Math.max(1, Math.floor(rawDelivered / 2 / Math.max(1, calibration.connected)));
  log(`  below saturation: ${belowPerSecond} msg/s (half of raw ws's ${rawDelivered} deliveries/s)`);
  // Below saturation first: a rate past saturation leaves a backlog behind it.
  const rates = [{ perSecond: belowPerSecond, durationMs: options.belowSaturationMs }, ...options.rates];

  const rounds = Object.fromEntries(FAN_OUT_TARGETS.map((t) => [t, [] as FanOutResult[]])) as Record<
    FanOutTarget,
    FanOutResult[]
  >;
  const loadAverageAtRounds: number[] = [];
  for (let r = 0; r < options.repeats; r++) {
    loadAverageAtRounds.push(round(os.loadavg()[0] ?? 0, 2));
    log(`  round ${r + 1}/${options.repeats} (load average ${loadAverageAtRounds[r]})`);
    for (const kind of order) rounds[kind].push(await measure(kind, rates));
  }
  const summary = Object.fromEntries(FAN_OUT_TARGETS.map((t) => [t, summarise(rounds[t])])) as Record<
    FanOutTarget,
    FanOutSummary[]
  >;
  return {
    members: options.members,
    repeats: options.repeats,
    order,
    belowSaturation: {
      rawOfferedPerSecond: options.calibration.perSecond,
      rawDeliveredPerSecond: rawDelivered,
      perSecond: belowPerSecond,
    },
    loadAverageAtRounds,
    rounds,
    summary,
  };
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median: round(median, 3), min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

/** Per rate, over the rounds; the first rate is the calibrated one below saturation. */
function summarise(results: FanOutResult[]): FanOutSummary[] {
  const rates = results[0]?.runs.map((r) => r.ratePerSecond) ?? [];
  return rates.map((ratePerSecond, i) => {
    const runs = results.map((r) => r.runs[i]).filter((r) => r !== undefined);
    const of = (pick: (run: (typeof runs)[number]) => number) => spread(runs.map(pick));
    return {
      ratePerSecond,
      regime: i === 0 ? 'below saturation' : 'configured',
      deliveredPerSecond: of((r) => r.deliveredPerSecond),
      deliveredOfExpected: of((r) => (r.expected > 0 ? round(r.delivered / r.expected, 4) : 0)),
      p50Ms: of((r) => r.latency.p50Ms),
      p99Ms: of((r) => r.latency.p99Ms),
      serverCpuUsPerDelivery: of((r) => r.serverCpuUsPerDelivery),
      clientCpuUsPerDelivery: of((r) => r.clientCpuUsPerDelivery),
      framesPerRead: of((r) => r.framesPerRead),
      serverWritesPerDelivery: of((r) => r.serverWritesPerDelivery),
    };
  });
}

/** BENCH_FANOUT_TARGETS (comma-separated), for exploring one server; undefined means all. */
export function fanOutTargetsFromEnv(value = process.env.BENCH_FANOUT_TARGETS): FanOutTarget[] | undefined {
  if (!value) return undefined;
  const picked = value.split(',').map((t) => t.trim());
  const unknown = picked.filter((t) => !(FAN_OUT_TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) throw new Error(`unknown fan-out target ${unknown.join(', ')}`);
  return picked as FanOutTarget[];
}
