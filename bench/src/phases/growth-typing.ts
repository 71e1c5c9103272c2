/**
 * Keystrokes and reactions in a big room (issue #13): `members` connected members, a few of
 * whom type (a `typing` frame on every keystroke, as a careless client would send) and then
 * react and take reactions back over HTTP. Counted at every member's socket: typing frames per
 * member per typist per second (the server coalesces them to at most one) and frames per
 * reaction; read from /proc: the server's CPU time per keystroke and per reaction.
 */
import { round } from '../histogram.js';
import { CpuMeter, sleep, Worker } from '../processes.js';
import { startParley } from '../servers.js';
import { membersFixture } from './growth-fixtures.js';

export interface GrowthTypingResult {
  members: number;
  listeners: number;
  typists: number;
  keystrokes: number;
  seconds: number;
  typingFrames: number;
  /** Typing frames each listening member got per typist per second (coalesced: at most 1). */
  typingFramesPerMemberPerTypistPerSecond: number;
  serverCpuUsPerKeystroke: number;
  reactions: number;
  reactionFrames: number;
  framesPerReaction: number;
  serverCpuUsPerReaction: number;
  /** Server CPU per reaction over the members it reached. */
  serverCpuUsPerReactionDelivery: number;
}

const THUMBS_UP = encodeURIComponent('👍');
/** A request unanswered this long fails the run (with its URL) rather than hanging it. */
const REQUEST_TIMEOUT_MS = 30_000;

export async function growthTyping(options: {
  /** The members fixture's sizes (one of them `members`), so the fixture is shared. */
  fixtureSizes: number[];
  members: number;
  typists: number;
  keystrokesPerSecond: number;
  reactionsPerSecond: number;
  durationMs: number;
  workers: number;
  settleMs: number;
  log: (line: string) => void;
}): Promise<GrowthTypingResult> {
  const fixture = await membersFixture(options.fixtureSizes, options.log);
  const room = fixture.rooms.find((r) => r.size === options.members);
  if (!room) throw new Error(`the members fixture has no room of ${options.members}`);
  const typistTokens = fixture.tokens.slice(0, options.typists);
  const listenerTokens = fixture.tokens.slice(options.typists, options.members);
  const server = await startParley(fixture.dataDir);
  const listeners = Array.from({ length: options.workers }, () => new Worker('growth-sockets.ts'));
  const typists = new Worker('growth-sockets.ts');
  const totalFrames = async (key: (type: string) => boolean) => {
    const counts = await Promise.all(listeners.map((w) => w.call<Record<string, number>>('frames')));
    let sum = 0;
    for (const byType of counts) for (const [type, n] of Object.entries(byType)) if (key(type)) sum += n;
    return sum;
  };
  try {
    const perWorker = Math.ceil(listenerTokens.length / listeners.length);
    const connects = await Promise.all(
      listeners.map((worker, i) =>
        worker.call<{ connected: number }>('connect', {
          url: server.wsUrl,
          tokens: listenerTokens.slice(i * perWorker, (i + 1) * perWorker),
          concurrency: 32,
          localAddresses: [],
          timeoutMs: 30_000,
        }),
      ),
    );
    const connected = connects.reduce((sum, c) => sum + c.connected, 0);
    await sleep(options.settleMs); // presence of everyone who just came online

    // Keystrokes.
    await Promise.all(listeners.map((w) => w.call('reset')));
    const typingCpu = new CpuMeter(() => [server.pid]);
    typingCpu.start();
    const typed = await typists.call<{ keystrokes: number; durationMs: number }>('typeAtRate', {
      url: server.wsUrl,
      tokens: typistTokens,
      roomId: room.roomId,
      keystrokesPerSecond: options.keystrokesPerSecond,
      durationMs: options.durationMs,
    });
    await sleep(500); // the last frames on their way
    const typingCpuSeconds = typingCpu.stop().cpuSeconds;
    const typingFrames = await totalFrames((type) => type === 'typing');
    const seconds = typed.durationMs / 1000;

    // Reactions: one message, the typists reacting to it and taking it back in turn.
    const origin = server.origin;
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
    const posted = await fetch(`${origin}/jobs`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      method: 'POST',
      headers: { ...auth(typistTokens[0]!), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', roomId: room.roomId, text: 'react to me' }),
    });
    if (posted.status !== 202) throw new Error(`POST /jobs answered ${posted.status}`);
    let messageId: string | undefined;
    for (let i = 0; i < 200 && !messageId; i++) {
      const page = await fetch(`${origin}/rooms/${room.roomId}/messages?limit=1`, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        headers: auth(typistTokens[0]!),
      });
      messageId = ((await page.json()) as { messages?: { id: string }[] }).messages?.[0]?.id;
      if (!messageId) await sleep(25);
    }
    if (!messageId) throw new Error('the message to react to never committed');
    await sleep(options.settleMs);
    await Promise.all(listeners.map((w) => w.call('reset')));
    const reacted = new Set<number>();
    const reactionCpu = new CpuMeter(() => [server.pid]);
    reactionCpu.start();
    const started = performance.now();
    let reactions = 0;
    while (performance.now() - started < options.durationMs) {
      const due = Math.floor(((performance.now() - started) * options.reactionsPerSecond) / 1000);
      for (; reactions < due; reactions++) {
        const who = reactions % typistTokens.length;
        const method = reacted.has(who) ? 'DELETE' : 'PUT';
        const res = await fetch(`${origin}/messages/${messageId}/reactions/${THUMBS_UP}`, {
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          method,
          headers: auth(typistTokens[who]!),
        });
        await res.arrayBuffer();
        if (res.status >= 300) throw new Error(`${method} reaction answered ${res.status}`);
        if (method === 'PUT') reacted.add(who);
        else reacted.delete(who);
      }
      await sleep(5);
    }
    // Until every member has every reaction event (or 5 s pass).
    const expected = reactions * connected;
    const deadline = performance.now() + 5_000;
    let reactionFrames = 0;
    for (;;) {
      reactionFrames = await totalFrames((type) => type.startsWith('event:reaction.'));
      if (reactionFrames >= expected || performance.now() > deadline) break;
      await sleep(100);
    }
    const reactionCpuSeconds = reactionCpu.stop().cpuSeconds;
    const result: GrowthTypingResult = {
      members: options.members,
      listeners: connected,
      typists: typistTokens.length,
      keystrokes: typed.keystrokes,
      seconds: round(seconds, 2),
      typingFrames,
      typingFramesPerMemberPerTypistPerSecond: round(
        typingFrames / Math.max(1, connected * typistTokens.length) / seconds,
        3,
      ),
      serverCpuUsPerKeystroke: round((typingCpuSeconds * 1e6) / Math.max(1, typed.keystrokes), 1),
      reactions,
      reactionFrames,
      framesPerReaction: round(reactionFrames / Math.max(1, reactions), 1),
      serverCpuUsPerReaction: round((reactionCpuSeconds * 1e6) / Math.max(1, reactions), 0),
      serverCpuUsPerReactionDelivery: round((reactionCpuSeconds * 1e6) / Math.max(1, reactionFrames), 2),
    };
    options.log(
      `  growth typing: ${result.keystrokes} keystrokes from ${result.typists} typists -> ${typingFrames} typing frames to ` +
        `${connected} members (${result.typingFramesPerMemberPerTypistPerSecond}/member/typist/s), ` +
        `${result.serverCpuUsPerKeystroke} µs CPU/keystroke; ${reactions} reactions -> ${result.framesPerReaction} frames each, ` +
        `${result.serverCpuUsPerReaction} µs CPU/reaction (${result.serverCpuUsPerReactionDelivery} µs/delivery)`,
    );
    return result;
  } finally {
    await Promise.all(listeners.map((w) => w.call('closeAll').catch(() => {})));
    await Promise.all([...listeners, typists].map((w) => w.stop()));
    await server.stop();
  }
}
