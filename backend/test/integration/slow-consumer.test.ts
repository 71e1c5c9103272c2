/**
 * A client that stops reading while its room is flooded is disconnected with 4009 instead of
 * letting the server's memory grow, while a client that reads keeps up with every event in
 * order. Contract (WebSocket): "A client that does not read (its outgoing buffer over a bound)
 * is disconnected rather than letting server memory grow; it resumes from its cursor when it
 * comes back."
 *
 * How: 100 sockets of five users stop reading right after `ready` (their TCP sockets are
 * paused, so the kernel buffers fill and then the server's outgoing buffer grows). Another user
 * floods the room with large messages through POST /jobs, IN_FLIGHT at a time. A third
 * user's socket reads normally. The server's RSS is sampled from /proc/<pid>/status (Linux)
 * throughout.
 *
 * Speed matters: the kernel absorbs 4-11 MiB per socket before the server's buffer even starts
 * to grow, and a socket that does not answer pings is dropped by the heartbeat (25 s) or after
 * ws's 30 s close timeout anyway, with 1006 instead of 4009, so the bound must be reached well
 * within that. Group-committed sends on tmpfs go at several hundred ~16 KB messages a second
 * (about 2 s to close all 100 here). Typing frames, which this test once added to the flood,
 * are now coalesced to one a second per typist (core/delivery/typing-gate.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Socket as TcpSocket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Room, RoomEvent } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type Account,
  type Closed,
  connectSocket,
  createRoom,
  expectStatus,
  register,
  request,
  roomEvents,
  type Socket,
  uniqueName,
} from '../support/client.js';
import { sleep, startServer, type TestServer } from '../support/server.js';

/**
 * Sockets that stop reading, spread over SLOW_USERS accounts (20 sockets per user at most).
 * Each may pin up to the server's 8 MiB bound until it is closed, but the frames they queue are
 * the same buffers (the hub frames each batch once for every socket), so what they hold
 * together grows far slower than 8 MiB a socket.
 */
const SLOW_SOCKETS = 100;
const SLOW_USERS = 5;
/** 3990 code points of 4 bytes in UTF-8 (the limit counts code points): event frames of ~16 KB. */
const bigText = (n: number) => `${n} ${'𝄞'.repeat(3990)}`;
/**
 * The flood stops once the server has closed every stopped reader, and at the latest after
 * FLOOD_MAX_MIB per socket or FLOOD_MAX_MS (both far beyond kernel buffers plus 8 MiB).
 */
const FLOOD_MAX_MIB = 64;
const FLOOD_MAX_MS = 20_000;
/** Concurrent POST /jobs; more only queue inside the server. */
const IN_FLIGHT = 16;
/** Sent after the server reported the closes: none of them may reach a closed socket. */
const AFTER_CLOSE_MESSAGES = 8;
/**
 * Bound on the server's RSS growth during the test: 100 stopped readers together. Without a
 * per-socket bound each would hold up to FLOOD_MAX_MIB (6.4 GiB together); with the 8 MiB bound
 * and unshared buffers, 800 MiB. Seen on a loaded 2-core machine (load ~10): RSS 181 MiB
 * before, peak 317 MiB (+135 MiB) with 100 stopped sockets after ~12 MiB sent to each; with 4
 * sockets +43 MiB. The test prints its numbers on every run.
 */
const RSS_GROWTH_BOUND_MIB = 300;

let server: TestServer;
let dataDir: string;
let flooder: Account;
let slowpoke: Account;
const slowpokes: Account[] = [];
let reader: Account;
let room: Room;
const sockets: Socket[] = [];

beforeAll(async () => {
  // This test is about memory and backpressure, not durability: on Linux keep the database on
  // tmpfs so that fsync does not slow the flood down.
  dataDir = mkdtempSync(path.join(os.platform() === 'linux' ? '/dev/shm' : os.tmpdir(), 'parley-slow-'));
  server = await startServer({ env: { RATE_LIMIT_SENDS_PER_MINUTE: '0' }, dataDir });
  await register(server, uniqueName('admin'));
  flooder = await register(server, uniqueName('flooder'));
  for (let i = 0; i < SLOW_USERS; i++) slowpokes.push(await register(server, uniqueName('slowpoke')));
  slowpoke = slowpokes[0] as Account;
  reader = await register(server, uniqueName('reader'));
  room = await createRoom(flooder, { name: `Flood ${uniqueName('r')}`, visibility: 'public' });
  for (const account of [...slowpokes, reader]) {
    expectStatus(await account.api.post(`/rooms/${room.id}/join`), 200, 'join the flood room');
  }
});
afterAll(async () => {
  for (const socket of sockets) socket.ws.terminate();
  await server?.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The server process's resident set size in MiB (Linux: VmRSS in /proc/<pid>/status). */
function serverRssMiB(): number {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${server.pid}/status (has the server exited?)`);
  return Number(match[1]) / 1024;
}

/** The TCP socket under a `ws` client, to stop and restart reading from it. */
function tcpOf(socket: Socket): TcpSocket {
  const tcp = (socket.ws as unknown as { _socket?: TcpSocket })._socket;
  if (!tcp) throw new Error('the ws client has no underlying TCP socket');
  return tcp;
}

/**
 * How many sockets the server says it closed as too slow (the project's documented metric).
 * Only used to stop the flood early; the assertions are on what the clients observe.
 */
async function slowClosesReported(): Promise<number> {
  const response = await request(server, '/metrics');
  const match = /^parley_ws_slow_consumers_total\s+(\d+)/m.exec(response.text);
  return match ? Number(match[1]) : 0;
}

interface FloodResult {
  messages: number;
  /** Bytes of frames each member socket was sent, about. */
  bytesPerSocket: number;
}

/** Floods the room with big messages through POST /jobs (IN_FLIGHT at a time) until `done()` or a limit. */
async function flood(options: { done: () => boolean; maxMessages?: number }): Promise<FloodResult> {
  const deadline = Date.now() + FLOOD_MAX_MS;
  const result: FloodResult = { messages: 0, bytesPerSocket: 0 };
  const maxMessages = options.maxMessages ?? Number.POSITIVE_INFINITY;
  const going = () =>
    !options.done() && Date.now() < deadline && result.bytesPerSocket < FLOOD_MAX_MIB * 1024 * 1024;
  const poster = async () => {
    while (going() && result.messages < maxMessages) {
      result.messages += 1;
      result.bytesPerSocket += 16_200;
      const response = await flooder.api.post('/jobs', {
        type: 'message',
        roomId: room.id,
        text: bigText(messageCount++),
      });
      expectStatus(response, 202, 'a flood message');
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, poster));
  return result;
}
let messageCount = 0;

function expectContiguousFrom(events: RoomEvent[], firstSeq: number, what: string) {
  const seqs = events.map((event) => event.seq);
  const gap = seqs.findIndex((seq, i) => seq !== firstSeq + i);
  expect(gap, `${what}: seq ${seqs[gap]} at position ${gap}, expected ${firstSeq + gap}`).toBe(-1);
}

describe('a client that does not read', () => {
  it('is disconnected with 4009, a reading client gets every event in order, and server memory stays bounded', async () => {
    const started = Date.now();
    const healthy = await connectSocket(server, reader.token);
    sockets.push(healthy);
    const slow: Socket[] = [];
    for (let i = 0; i < SLOW_SOCKETS; i++) {
      const socket = await connectSocket(server, (slowpokes[i % SLOW_USERS] as Account).token);
      sockets.push(socket);
      tcpOf(socket).pause();
      slow.push(socket);
    }
    const startSeq = healthy.ready.rooms.find((entry) => entry.roomId === room.id)?.lastSeq;
    if (startSeq === undefined) throw new Error('ready does not list the flood room');
    const firstFloodSeq = startSeq + 1;

    const rssBefore = serverRssMiB();
    let rssPeak = rssBefore;
    let allSlowClosed = false;
    const sampler = setInterval(() => {
      try {
        rssPeak = Math.max(rssPeak, serverRssMiB());
      } catch {
        // the server is gone: the requests fail and say so
      }
    }, 50);
    const watcher = setInterval(() => {
      void slowClosesReported().then(
        (count) => {
          if (count >= SLOW_SOCKETS) allSlowClosed = true;
        },
        () => {},
      );
    }, 200);
    let flooded: FloodResult;
    let sent: number;
    try {
      flooded = await flood({ done: () => allSlowClosed });
      const closedAfter = Date.now() - started;
      const after = await flood({ done: () => false, maxMessages: AFTER_CLOSE_MESSAGES });
      expect(after.messages).toBe(AFTER_CLOSE_MESSAGES);
      sent = flooded.messages + after.messages;
      // The reader keeps up: the last message arrives (every job is recorded, so each gets a seq).
      await healthy.next(
        (frame) =>
          frame.type === 'event' && frame.event.roomId === room.id && frame.event.seq === startSeq + sent,
        20_000,
        `event seq ${startSeq + sent} (the last of ${sent} flood messages) on the reading socket`,
      );
      console.info(
        `slow consumer: flood stopped after ${closedAfter} ms (all closes reported: ${allSlowClosed})`,
      );
    } finally {
      clearInterval(sampler);
      clearInterval(watcher);
    }
    rssPeak = Math.max(rssPeak, serverRssMiB());
    const floodMs = Date.now() - started;

    const received = roomEvents(healthy, room.id).filter((event) => event.seq >= firstFloodSeq);
    expect(received).toHaveLength(sent);
    expectContiguousFrom(received, firstFloodSeq, 'the reading socket');
    expect(received.every((event) => event.type === 'message.created')).toBe(true);

    // Now read what each stopped socket was sent: an unbroken start of the flood, then 4009.
    const closes: Closed[] = [];
    const counts: number[] = [];
    for (const socket of slow) {
      tcpOf(socket).resume();
      closes.push(
        await Promise.race([
          socket.closed,
          sleep(10_000).then(() => ({ code: -1, reason: 'still open 10 s after it read again' })),
        ]),
      );
      const events = roomEvents(socket, room.id).filter((event) => event.seq >= firstFloodSeq);
      counts.push(events.length);
      expectContiguousFrom(events, firstFloodSeq, 'a stopped socket');
    }
    console.info(
      `slow consumer: ${sent} messages of ~16 KB ` +
        `(~${Math.round(flooded.bytesPerSocket / 1024 / 1024)} MiB per socket) in ${floodMs} ms; ` +
        `the reading socket got all ${received.length} events; ` +
        `server RSS before ${rssBefore.toFixed(0)} MiB, peak ${rssPeak.toFixed(0)} MiB (+${(rssPeak - rssBefore).toFixed(0)}); ` +
        `the ${SLOW_SOCKETS} stopped sockets got ${counts.join(', ')} events, then closes ${closes.map((c) => c.code).join(', ')}`,
    );
    expect(healthy.ws.readyState, 'the reading socket is still open').toBe(WebSocket.OPEN);
    for (const closed of closes)
      expect(closed, 'close of a socket that did not read').toMatchObject({ code: 4009 });
    for (const count of counts) expect(count).toBeLessThanOrEqual(sent - AFTER_CLOSE_MESSAGES);
    expect(rssPeak - rssBefore, 'server RSS growth during the flood (MiB)').toBeLessThan(
      RSS_GROWTH_BOUND_MIB,
    );

    // Coming back, the slow user resumes from its cursor and gets the rest, in order.
    const cursor = startSeq + Math.min(...counts);
    const back = await connectSocket(server, slowpoke.token, { resume: true });
    sockets.push(back);
    back.send({ type: 'resume', cursors: { [room.id]: cursor } });
    await back.next(
      (frame) =>
        frame.type === 'event' && frame.event.roomId === room.id && frame.event.seq === startSeq + sent,
      20_000,
      `the replay up to seq ${startSeq + sent}`,
    );
    const replayed = roomEvents(back, room.id);
    expect(replayed).toHaveLength(startSeq + sent - cursor);
    expectContiguousFrom(replayed, cursor + 1, 'the resumed socket');
  }, 90_000);
});
