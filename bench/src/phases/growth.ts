/**
 * How cost grows (`--only=growth`, issue #15 item 5 and issue #13): the four growth workloads
 * one after the other, each on its own cached fixture, and their targets:
 * - history p50 flat within 1.5x over rooms of 10k … 10M events;
 * - server CPU per delivery flat within 1.5x over rooms of 10 … 10,000 members;
 * - connect-to-ready of a user in 1,000 rooms at most 5x that of a user in one room;
 * - typing coalesced: at most one frame per member per typist per second.
 */
import { round } from '../histogram.js';
import type { Row } from '../report.js';
import { type GrowthHistoryRow, growthHistory } from './growth-history.js';
import { type GrowthMembersRow, growthMembers } from './growth-members.js';
import { type GrowthRoomsRow, growthRooms } from './growth-rooms.js';
import { type GrowthTypingResult, growthTyping } from './growth-typing.js';

export interface GrowthConfig {
  history: {
    sizes: number[];
    requests: number;
    catchUpBehind: number;
    catchUpRepeats: number;
    startupRepeats: number;
  };
  members: {
    sizes: number[];
    deliveriesPerSecond: number;
    maxMessagesPerSecond: number;
    runMs: number;
    repeats: number;
    workers: number;
  };
  rooms: { roomCounts: number[]; usersPerGroup: number; socketsPerUser: number };
  typing: {
    members: number;
    typists: number;
    keystrokesPerSecond: number;
    reactionsPerSecond: number;
    durationMs: number;
    workers: number;
  };
}

export interface GrowthResult {
  history: GrowthHistoryRow[];
  members: GrowthMembersRow[];
  rooms: GrowthRoomsRow[];
  /** Absent when left out with BENCH_GROWTH_PARTS. */
  typing?: GrowthTypingResult;
}

const PARTS = ['history', 'members', 'rooms', 'typing'] as const;
/** BENCH_GROWTH_PARTS=members,typing runs only those parts (all of them by default). */
function growthParts(): Set<string> {
  const picked = process.env.BENCH_GROWTH_PARTS?.split(',').map((p) => p.trim());
  return new Set(picked?.length ? picked : PARTS);
}

export async function growthBench(
  config: GrowthConfig,
  settleMs: number,
  log: (line: string) => void,
): Promise<GrowthResult> {
  const parts = growthParts();
  const result: GrowthResult = { history: [], members: [], rooms: [] };
  if (parts.has('history')) {
    log('growth: history, catch-up, startup and bytes per message by room log size');
    result.history = await growthHistory({ ...config.history, log });
  }
  if (parts.has('members')) {
    log('growth: server CPU per delivery by room size');
    // BENCH_GROWTH_MEMBER_SIZES=10,1000: some room sizes only (before/after runs that skip the
    // 10,000-member room's minutes of connecting).
    const sizes = process.env.BENCH_GROWTH_MEMBER_SIZES?.split(',').map(Number).filter(Boolean);
    const members = sizes?.length ? { ...config.members, sizes } : config.members;
    result.members = await growthMembers({ ...members, settleMs, log });
  }
  if (parts.has('rooms')) {
    log('growth: connect-to-ready and memory per socket by rooms per user');
    result.rooms = await growthRooms({ ...config.rooms, settleMs, log });
  }
  if (parts.has('typing')) {
    log(`growth: keystrokes and reactions in a room of ${config.typing.members} members`);
    result.typing = await growthTyping({
      ...config.typing,
      fixtureSizes: config.members.sizes,
      settleMs,
      log,
    });
  }
  return result;
}

const n = (value: number) => value.toLocaleString('en-US');
/** Largest over smallest (how far from flat a series is). */
const spreadOf = (values: number[]) => {
  const positive = values.filter((v) => v > 0);
  return positive.length > 0 ? round(Math.max(...positive) / Math.min(...positive), 2) : 0;
};

type Check = (name: string, value: number, target: string, met: boolean) => string;

/** The summary rows and the targets, for report.ts's table. */
export function growthRows(g: GrowthResult, rows: Row[], check: Check): void {
  const row = (metric: string, parley: string, target: string, met: string) =>
    rows.push({ metric, parley, baseline: '', ratio: '', target, met });
  if (g.history.length > 0) {
    const sizes = g.history.map((h) => n(h.events)).join(' / ');
    const newest = g.history.map((h) => h.history.newest.p50Ms);
    const deep = g.history.map((h) => h.history.deep.p50Ms);
    row(
      `growth: newest history page p50 ms, rooms of ${sizes} events`,
      newest.join(' / '),
      '≤ 1.5x apart',
      check(
        'growth: newest history p50, max/min over sizes',
        spreadOf(newest),
        '<= 1.5',
        spreadOf(newest) <= 1.5,
      ),
    );
    row(
      `growth: random-depth history page p50 ms, rooms of ${sizes} events`,
      deep.join(' / '),
      '≤ 1.5x apart',
      check('growth: deep history p50, max/min over sizes', spreadOf(deep), '<= 1.5', spreadOf(deep) <= 1.5),
    );
  }
  if (g.history.length > 0) {
    // The same pages in server CPU time: what the load of the shared machine does not swing.
    const cpu = g.history.map((h) => h.history.newest.serverCpuUsPerRequest);
    const deepCpu = g.history.map((h) => h.history.deep.serverCpuUsPerRequest);
    row(
      'growth: server CPU µs per history page, newest / random depth, by log size',
      `${cpu.join(' / ')}; ${deepCpu.join(' / ')}`,
      '≤ 1.5x apart',
      check(
        'growth: history page CPU, max/min over sizes',
        Math.max(spreadOf(cpu), spreadOf(deepCpu)),
        '<= 1.5',
        Math.max(spreadOf(cpu), spreadOf(deepCpu)) <= 1.5,
      ),
    );
  }
  if (g.members.length > 0) {
    const cpu = g.members.map((m) => m.cpuUsPerDelivery);
    row(
      `growth: server CPU µs per delivery, rooms of ${g.members.map((m) => n(m.members)).join(' / ')} members`,
      cpu.join(' / '),
      '≤ 1.5x apart',
      check(
        'growth: CPU per delivery, max/min over room sizes',
        spreadOf(cpu),
        '<= 1.5',
        spreadOf(cpu) <= 1.5,
      ),
    );
  }
  const one = g.rooms[0];
  const most = g.rooms.at(-1);
  if (one && most && most !== one) {
    const times = round(most.ready.p50Ms / Math.max(1e-3, one.ready.p50Ms), 2);
    row(
      `growth: connect-to-ready p50 ms, user in ${g.rooms.map((r) => n(r.rooms)).join(' / ')} rooms`,
      g.rooms.map((r) => r.ready.p50Ms).join(' / '),
      `${n(most.rooms)} rooms ≤ 5x one`,
      check(`growth: ready p50 in ${most.rooms} rooms over 1 room`, times, '<= 5', times <= 5),
    );
  }
  const t = g.typing;
  if (!t) return;
  // Over a window of s seconds a 1 s gate passes at most ceil(s) frames per typist.
  const bound = Math.ceil(t.seconds) / t.seconds;
  row(
    `growth: typing frames per member per typist per second (${n(t.members)} members)`,
    String(t.typingFramesPerMemberPerTypistPerSecond),
    '≤ 1',
    check(
      'growth: typing frames per member per typist per second',
      t.typingFramesPerMemberPerTypistPerSecond,
      '<= 1',
      t.typingFramesPerMemberPerTypistPerSecond <= bound + 1e-9,
    ),
  );
  row(
    `growth: server CPU µs per keystroke / per reaction (${n(t.members)} members)`,
    `${t.serverCpuUsPerKeystroke} / ${t.serverCpuUsPerReaction}`,
    '',
    '',
  );
}

/** The growth results as the small Markdown tables of docs/performance.md. */
export function growthTables(g: GrowthResult): string {
  const lines: string[] = [];
  const table = (head: string[], body: (string | number)[][]) => {
    lines.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
    for (const r of body) lines.push(`| ${r.join(' | ')} |`);
    lines.push('');
  };
  table(
    [
      'room log',
      'newest page p50 / p99 ms',
      'random page p50 / p99 ms',
      'server CPU µs/page newest / random',
      'catch-up (events) ms',
      'catch-up CPU µs/event',
      'startup ms (server CPU ms)',
      'RSS at start MiB',
      'bytes/message',
      'DB GiB',
    ],
    g.history.map((h) => [
      `${n(h.events)} events`,
      `${h.history.newest.p50Ms} / ${h.history.newest.p99Ms}`,
      `${h.history.deep.p50Ms} / ${h.history.deep.p99Ms}`,
      `${h.history.newest.serverCpuUsPerRequest} / ${h.history.deep.serverCpuUsPerRequest}`,
      `${h.catchUp.medianMs} (${n(h.catchUp.behind)})`,
      h.catchUpCpuUsPerEvent,
      `${h.startupMs.join(', ')} (${h.startupCpuMs.join(', ')})`,
      h.startupRssMiB.join(', '),
      h.bytesPerMessage,
      h.databaseGiB,
    ]),
  );
  table(
    ['room', 'messages/s', 'CPU µs/delivery (runs)', 'CPU µs/message', 'latency p50 / p99 ms'],
    g.members.map((m) => [
      `${n(m.members)} members`,
      m.ratePerSecond,
      `${m.cpuUsPerDelivery} (${m.runs.map((r) => r.serverCpuUsPerDelivery).join(', ')})`,
      m.cpuUsPerMessage,
      `${m.p50Ms} / ${m.p99Ms}`,
    ]),
  );
  table(
    ['user in', 'ready p50 / p99 ms', 'server CPU µs/connect', 'RSS KiB/socket', 'sockets'],
    g.rooms.map((r) => [
      `${n(r.rooms)} rooms`,
      `${r.ready.p50Ms} / ${r.ready.p99Ms}`,
      r.serverCpuUsPerConnect,
      r.rssPerSocketKiB,
      `${r.connected}/${r.sockets}`,
    ]),
  );
  const t = g.typing;
  if (t)
    table(
      [`in a room of ${n(t.members)}`, 'sent', 'frames delivered', 'per member', 'server CPU µs each'],
      [
        [
          `keystrokes (${t.typists} typists, ${t.seconds} s)`,
          t.keystrokes,
          t.typingFrames,
          `${t.typingFramesPerMemberPerTypistPerSecond} /typist/s`,
          t.serverCpuUsPerKeystroke,
        ],
        [
          'reactions (add / take back)',
          t.reactions,
          t.reactionFrames,
          `${round(t.framesPerReaction / Math.max(1, t.listeners), 3)} /reaction`,
          t.serverCpuUsPerReaction,
        ],
      ],
    );
  return lines.join('\n');
}
