import type { Job, Room, RoomEvent, ServerFrame } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type Account,
  type ConnectOptions,
  connectSocket,
  createRoom,
  generalRoom,
  isEvent,
  listRooms,
  postMessage,
  register,
  roomEvents,
  type Socket,
  SocketPool,
  submitMessage,
  uniqueName,
  upgradeStatus,
  waitForCompletion,
} from '../support/client.js';
import { sleep, startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let alice: Account;
let bob: Account;
let general: Room;
const sockets = new SocketPool(() => server);

beforeAll(async () => {
  server = await startServer();
  await register(server, uniqueName('admin'));
  alice = await register(server, uniqueName('alice'));
  bob = await register(server, uniqueName('bob'));
  general = await generalRoom(alice);
});
afterAll(async () => {
  await sockets.closeAll();
  await server?.dispose();
});

const connect = (account: Account, options: ConnectOptions = {}) => sockets.connect(account, options);

type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** Round-trips a ping: every frame the server sent before the pong has arrived. */
async function barrier(socket: Socket, ref = `barrier-${Math.random()}`) {
  socket.send({ type: 'ping', ref });
  await socket.next((frame) => frame.type === 'pong' && frame.ref === ref, 5_000, `pong ${ref}`);
}

async function roomLog(account: Account, roomId: string, after: number): Promise<RoomEvent[]> {
  const response = await account.api.get<{ events: RoomEvent[] }>(
    `/rooms/${roomId}/events?after=${after}&limit=200`,
  );
  expect(response.status).toBe(200);
  return response.body.events;
}

describe('connecting', () => {
  it.each(['http', 'wsPort'] as const)('sends ready first on the %s listener', async (via) => {
    const socket = await connect(alice, { via });
    expect(socket.frames[0]).toBe(socket.ready);
    expect(socket.ready.user).toEqual(alice.user);
    expect(socket.ready.heartbeatMs).toBeGreaterThan(0);
    const rooms = await listRooms(alice);
    const generalNow = rooms.find((room) => room.id === general.id);
    expect(socket.ready.rooms).toContainEqual({ roomId: general.id, lastSeq: generalNow?.lastSeq });
    await socket.close();
  });

  it.each(['wsUrl', 'wsPortUrl'] as const)(
    'refuses an upgrade on %s without or with bad credentials: 401',
    async (which) => {
      expect(await upgradeStatus(server[which])).toBe(401);
      expect(await upgradeStatus(server[which], { authorization: 'Bearer not-a-token' })).toBe(401);
      expect(
        await upgradeStatus(server[which], { cookie: 'parley_session=forged; session=forged; sid=forged' }),
      ).toBe(401);
    },
  );

  it.each(['wsUrl', 'wsPortUrl'] as const)(
    'refuses a foreign browser Origin on %s with 403',
    async (which) => {
      const headers = { authorization: `Bearer ${alice.token}`, origin: 'http://evil.example' };
      expect(await upgradeStatus(server[which], headers)).toBe(403);
    },
  );

  it.each(['http', 'wsPort'] as const)("accepts the app's own origin on the %s listener", async (via) => {
    const socket = await connect(alice, { via, headers: { origin: server.httpUrl } });
    expect(socket.ready.user.id).toBe(alice.user.id);
    await socket.close();
  });

  it('authenticates with the session cookie from the app origin', async () => {
    const socket = await connectSocket(server, null, {
      headers: { cookie: alice.cookie, origin: server.httpUrl },
    });
    sockets.keep(socket);
    expect(socket.ready.user).toEqual(alice.user);
    await socket.close();
  });
});

describe('live events', () => {
  it("delivers a room's events to another member's socket in increasing seq, from ready's lastSeq", async () => {
    const socket = await connect(bob);
    const start = socket.ready.rooms.find((room) => room.roomId === general.id)?.lastSeq ?? Number.NaN;
    const jobs: Job[] = [];
    for (let i = 1; i <= 5; i++) jobs.push(await submitMessage(alice, general.id, `live ${i}`));
    const results = [];
    for (const job of jobs) results.push(await waitForCompletion(alice, job.id));
    const lastSeq = Math.max(...results.map((job) => job.result.seq));
    await socket.next(
      (frame) => frame.type === 'event' && frame.event.roomId === general.id && frame.event.seq === lastSeq,
      5_000,
      `event seq ${lastSeq}`,
    );
    const seqs = roomEvents(socket, general.id).map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: lastSeq - start }, (_, i) => start + 1 + i));
    const texts = roomEvents(socket, general.id).flatMap((event) =>
      event.type === 'message.created' ? [event.data.message.text] : [],
    );
    expect(texts).toEqual(['live 1', 'live 2', 'live 3', 'live 4', 'live 5']);
    await socket.close();
  });

  it('sends the same events as the room log', async () => {
    const socket = await connect(bob);
    const { seq } = await postMessage(alice, general.id, 'compare me');
    const frame = await socket.next<Frame<'event'>>(isEvent(general.id, 'message.created'), 5_000);
    const [logged] = await roomLog(bob, general.id, seq - 1);
    expect(frame.event).toEqual(logged);
    await socket.close();
  });

  it('does not deliver events of a private room to a non-member', async () => {
    const secret = await createRoom(alice, { name: `Secret ${uniqueName('s')}`, visibility: 'private' });
    const socket = await connect(bob);
    expect(socket.ready.rooms.map((room) => room.roomId)).not.toContain(secret.id);
    await postMessage(alice, secret.id, 'for my eyes only');
    await sleep(300);
    await barrier(socket);
    expect(roomEvents(socket, secret.id)).toEqual([]);
    await socket.close();
  });

  it('relays typing to other members', async () => {
    const bobs = await connect(bob);
    const alices = await connect(alice);
    alices.send({ type: 'typing', roomId: general.id });
    const typing = await bobs.next<Frame<'typing'>>((frame) => frame.type === 'typing', 3_000, 'typing');
    expect(typing).toMatchObject({
      roomId: general.id,
      user: { id: alice.user.id, username: alice.user.username },
    });
    await Promise.all([bobs.close(), alices.close()]);
  });
  it('tells members when someone comes online and when their last socket goes, never telling a user about itself', async () => {
    const carol = await register(server);
    const isCarol = (frame: ServerFrame) => frame.type === 'presence' && frame.userId === carol.user.id;
    const alices = await connect(alice);
    const carols = await connect(carol);
    expect(await alices.next(isCarol, 3_000, 'carol online')).toMatchObject({ status: 'online' });
    const second = await connect(carol); // already online: nothing new to tell
    await carols.close(); // one socket left: still online
    await second.close();
    expect(await alices.next(isCarol, 3_000, 'carol offline')).toMatchObject({ status: 'offline' });
    expect(alices.frames.filter(isCarol)).toHaveLength(2);
    expect([...carols.frames, ...second.frames].filter(isCarol)).toEqual([]);
    await alices.close();
  });
});

describe('sending over the socket', () => {
  it('answers send with sent {ref, job}, then the event and the job status', async () => {
    const socket = await connect(alice);
    socket.send({ type: 'send', ref: 'hello-1', roomId: general.id, text: 'hello over ws' });
    const sent = await socket.next<Frame<'sent'>>((frame) => frame.type === 'sent', 5_000, 'sent');
    expect(sent.ref).toBe('hello-1');
    expect(sent.job).toMatchObject({ id: expect.any(String), type: 'message', roomId: general.id });
    const created = await socket.next<Frame<'event'>>(isEvent(general.id, 'message.created'), 5_000);
    expect(created.event.data).toMatchObject({
      message: { text: 'hello over ws', author: { id: alice.user.id } },
    });
    const jobFrame = await socket.next<Frame<'job'>>(
      (frame) => frame.type === 'job' && frame.job.id === sent.job.id && frame.job.status === 'completed',
      5_000,
      'job completed frame',
    );
    expect(jobFrame.job.result?.seq).toBe(created.event.seq);
    await socket.close();
  });

  it('honours idempotencyKey on send: the same key answers the same job, one message only', async () => {
    const socket = await connect(alice);
    const key = `ws-${uniqueName('k')}`;
    const text = `once over ws ${key}`;
    socket.send({ type: 'send', ref: 'first', roomId: general.id, text, idempotencyKey: key });
    const first = await socket.next<Frame<'sent'>>((f) => f.type === 'sent' && f.ref === 'first', 5_000);
    await waitForCompletion(alice, first.job.id);
    socket.send({ type: 'send', ref: 'again', roomId: general.id, text, idempotencyKey: key });
    const again = await socket.next<Frame<'sent'>>((f) => f.type === 'sent' && f.ref === 'again', 5_000);
    expect(again.job.id).toBe(first.job.id);
    const reused = { type: 'send', ref: 'other', roomId: general.id, text: 'different', idempotencyKey: key };
    socket.send(reused);
    const refused = await socket.next<Frame<'error'>>((f) => f.type === 'error' && f.ref === 'other', 5_000);
    expect(refused.code).toBe('idempotency_key_reused');
    await sleep(200);
    await barrier(socket);
    const created = roomEvents(socket, general.id).filter(
      (event) => event.type === 'message.created' && event.data.message.text === text,
    );
    expect(created).toHaveLength(1);
    await socket.close();
  });

  it('answers a refused send with an error frame carrying the code and the ref', async () => {
    const socket = await connect(alice);
    socket.send({ type: 'send', ref: 'too-long', roomId: general.id, text: 'a'.repeat(4001) });
    const tooLong = await socket.next<Frame<'error'>>(
      (f) => f.type === 'error' && f.ref === 'too-long',
      3_000,
    );
    expect(tooLong.code).toBe('validation_failed');
    socket.send({ type: 'send', ref: 'nowhere', roomId: 'no-such-room', text: 'hello?' });
    const nowhere = await socket.next<Frame<'error'>>(
      (f) => f.type === 'error' && f.ref === 'nowhere',
      3_000,
    );
    expect(nowhere.code).toBe('not_found');
    expect(typeof nowhere.message).toBe('string');
    await barrier(socket);
    expect(socket.frames.filter((f) => f.type === 'sent')).toEqual([]);
    await socket.close();
  });
});

describe('bad frames', () => {
  it('answers invalid JSON, unknown types and missing fields with error frames and stays open', async () => {
    const socket = await connect(alice);
    socket.send('this is not json');
    const notJson = await socket.next<Frame<'error'>>((f) => f.type === 'error', 3_000, 'error for bad JSON');
    expect(typeof notJson.code).toBe('string');
    expect(typeof notJson.message).toBe('string');

    socket.send({ type: 'dance', ref: 'unknown-1' });
    const unknown = await socket.next<Frame<'error'>>(
      (f) => f.type === 'error' && f.ref === 'unknown-1',
      3_000,
    );
    expect(typeof unknown.code).toBe('string');

    socket.send({ type: 'send', ref: 'missing-1', roomId: general.id });
    const missing = await socket.next<Frame<'error'>>(
      (f) => f.type === 'error' && f.ref === 'missing-1',
      3_000,
    );
    expect(['validation_failed', 'invalid_frame']).toContain(missing.code);

    socket.send({ type: 'ping', ref: 'still-here' });
    const pong = await socket.next((f) => f.type === 'pong', 3_000, 'pong');
    expect(pong).toEqual({ type: 'pong', ref: 'still-here' });
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    await socket.close();
  });

  it('answers a ping without ref with a pong', async () => {
    const socket = await connect(alice);
    socket.send({ type: 'ping' });
    const pong = await socket.next((f) => f.type === 'pong', 3_000, 'pong');
    expect(pong.type).toBe('pong');
    await socket.close();
  });

  it('closes with 1009 on a frame over 64 KiB', async () => {
    const socket = await connect(alice);
    socket.send({ type: 'ping', ref: 'x'.repeat(70 * 1024) });
    const closed = await Promise.race([socket.closed, sleep(3_000).then(() => 'still open' as const)]);
    expect(closed).toMatchObject({ code: 1009 });
  });
});

describe('resuming', () => {
  it('replays exactly the missed events, in order, then continues live with no gap or duplicate', async () => {
    const first = await connect(bob);
    const lastSeen = first.ready.rooms.find((room) => room.roomId === general.id)?.lastSeq ?? Number.NaN;
    await first.close();

    const missed: Job[] = [];
    for (let i = 1; i <= 5; i++) missed.push(await submitMessage(alice, general.id, `while away ${i}`));
    for (const job of missed) await waitForCompletion(alice, job.id);

    const socket = await connect(bob, { resume: true });
    socket.send({ type: 'resume', cursors: { [general.id]: lastSeen } });
    // More messages right away: they race with the replay.
    const live: Job[] = [];
    for (let i = 1; i <= 3; i++) live.push(await submitMessage(alice, general.id, `live again ${i}`));
    const done = [];
    for (const job of live) done.push(await waitForCompletion(alice, job.id));
    const lastSeq = Math.max(...done.map((job) => job.result.seq));

    await socket.next(
      (f) => f.type === 'event' && f.event.roomId === general.id && f.event.seq === lastSeq,
      5_000,
      `event seq ${lastSeq}`,
    );
    await sleep(200);
    await barrier(socket);
    const received = roomEvents(socket, general.id);
    expect(received.map((event) => event.seq)).toEqual(
      Array.from({ length: lastSeq - lastSeen }, (_, i) => lastSeen + 1 + i),
    );
    expect(received).toEqual(await roomLog(bob, general.id, lastSeen));
    const texts = received.flatMap((event) =>
      event.type === 'message.created' ? [event.data.message.text] : [],
    );
    expect(texts).toEqual([
      'while away 1',
      'while away 2',
      'while away 3',
      'while away 4',
      'while away 5',
      'live again 1',
      'live again 2',
      'live again 3',
    ]);
    await socket.close();
  });

  it('holds events back on ?resume=1 until the resume frame, then starts unnamed rooms from ready', async () => {
    const socket = await connect(bob, { resume: true });
    const start = socket.ready.rooms.find((room) => room.roomId === general.id)?.lastSeq ?? Number.NaN;
    const { seq } = await postMessage(alice, general.id, 'held back');
    await sleep(300);
    expect(roomEvents(socket, general.id)).toEqual([]);
    socket.send({ type: 'resume', cursors: {} });
    await socket.next(
      (f) => f.type === 'event' && f.event.roomId === general.id && f.event.seq === seq,
      5_000,
    );
    expect(roomEvents(socket, general.id).map((e) => e.seq)).toEqual(
      Array.from({ length: seq - start }, (_, i) => start + 1 + i),
    );
    await socket.close();
  });

  it('closes a ?resume=1 connection whose first frame is not resume: resume_required, then 4008', async () => {
    const socket = await connect(bob, { resume: true });
    socket.send({ type: 'ping', ref: 'too-early' });
    const error = await socket.next<Frame<'error'>>((f) => f.type === 'error', 3_000, 'error frame');
    expect(error.code).toBe('resume_required');
    const closed = await Promise.race([socket.closed, sleep(3_000).then(() => 'still open' as const)]);
    expect(closed).toMatchObject({ code: 4008 });
    expect(socket.frames.some((f) => f.type === 'pong')).toBe(false);

    const garbage = await connect(bob, { resume: true });
    garbage.send('not json at all');
    const garbageError = await garbage.next<Frame<'error'>>((f) => f.type === 'error', 3_000, 'error frame');
    expect(garbageError.code).toBe('resume_required');
    const garbageClosed = await Promise.race([
      garbage.closed,
      sleep(3_000).then(() => 'still open' as const),
    ]);
    expect(garbageClosed).toMatchObject({ code: 4008 });
  });

  it('answers a wrong first frame sent before ready arrived: ready, resume_required, then 4008', async () => {
    const url = new URL(server.wsUrl);
    url.searchParams.set('resume', '1');
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${bob.token}` } });
    const frames: ServerFrame[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as ServerFrame));
    // Sent the moment the upgrade completes, before the server has read the rooms and said ready.
    ws.on('open', () => ws.send(JSON.stringify({ type: 'ping', ref: 'immediately' })));
    const code = await new Promise<number>((resolve) => ws.on('close', (closeCode) => resolve(closeCode)));
    expect(code).toBe(4008);
    expect(frames.map((frame) => frame.type)).toEqual(['ready', 'error']);
    expect(frames[1]).toMatchObject({ type: 'error', code: 'resume_required' });
  });

  it('on a plain connection, a late resume replays nothing already sent', async () => {
    const socket = await connect(bob);
    const start = socket.ready.rooms.find((room) => room.roomId === general.id)?.lastSeq ?? Number.NaN;
    const { seq } = await postMessage(alice, general.id, 'after ready');
    await socket.next(
      (f) => f.type === 'event' && f.event.roomId === general.id && f.event.seq === seq,
      5_000,
    );
    socket.send({ type: 'resume', cursors: { [general.id]: Math.max(0, start - 3) } });
    await sleep(200);
    await barrier(socket);
    expect(roomEvents(socket, general.id).map((e) => e.seq)).toEqual(
      Array.from({ length: seq - start }, (_, i) => start + 1 + i),
    );
    await socket.close();
  });
});

describe('acknowledgements', () => {
  it("accepts an ack without an error, and reports it as the room's ackSeq", async () => {
    const { seq } = await postMessage(alice, general.id, 'read me');
    const socket = await connect(bob);
    socket.send({ type: 'ack', roomId: general.id, seq });
    await barrier(socket);
    expect(socket.frames.filter((f) => f.type === 'error')).toEqual([]);

    // The ack is applied after the frame is read: poll briefly rather than race it.
    let room = (await listRooms(bob)).find((r) => r.id === general.id);
    const deadline = Date.now() + 2_000;
    while (room?.ackSeq !== seq && Date.now() < deadline) {
      await sleep(100);
      room = (await listRooms(bob)).find((r) => r.id === general.id);
    }
    expect(room).toBeDefined();
    expect(room?.ackSeq).toBe(seq);
    await socket.close();
  });
});
