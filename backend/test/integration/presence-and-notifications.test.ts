/**
 * Typing coalesced per typist, who is online in the members list, and each member's
 * notification level per room (`PUT /rooms/:roomId/notifications`).
 */
import type { Member, Room, ServerFrame } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  type ConnectOptions,
  createRoom,
  errorOf,
  fieldPaths,
  generalRoom,
  getRoom,
  listRooms,
  register,
  type Socket,
  SocketPool,
  uniqueName,
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
afterEach(() => sockets.closeAll());
afterAll(async () => {
  await sockets.closeAll();
  await server?.dispose();
});

const connect = (account: Account, options: ConnectOptions = {}) => sockets.connect(account, options);

/** Round-trips a ping: every frame the server sent before the pong has arrived. */
async function barrier(socket: Socket, ref = `barrier-${Math.random()}`) {
  socket.send({ type: 'ping', ref });
  await socket.next((frame) => frame.type === 'pong' && frame.ref === ref, 5_000, `pong ${ref}`);
}

const typingOf = (userId: string, roomId: string) => (frame: ServerFrame) =>
  frame.type === 'typing' && frame.user.id === userId && frame.roomId === roomId;

describe('typing', () => {
  it('sends each member at most one typing frame per typist per room per second, from any number of tabs', async () => {
    const bobs = await connect(bob);
    const tab1 = await connect(alice);
    const tab2 = await connect(alice);
    const fromAlice = typingOf(alice.user.id, general.id);
    // A burst: every keystroke in two tabs.
    for (let i = 0; i < 20; i++) (i % 2 === 0 ? tab1 : tab2).send({ type: 'typing', roomId: general.id });
    await Promise.all([barrier(tab1), barrier(tab2)]);
    await bobs.next(fromAlice, 3_000, 'the first typing frame');
    await barrier(bobs);
    expect(bobs.frames.filter(fromAlice)).toHaveLength(1);

    // A second later the next keystroke goes through again.
    await sleep(1_100);
    tab1.send({ type: 'typing', roomId: general.id });
    await bobs.next(fromAlice, 3_000, 'typing a second later');
    expect(bobs.frames.filter(fromAlice)).toHaveLength(2);
    // Never echoed to the typist.
    expect([...tab1.frames, ...tab2.frames].filter(fromAlice)).toEqual([]);
  });

  it('coalesces each typist separately: a second typist is not held back by the first', async () => {
    const carol = await register(server, uniqueName('carol'));
    const room = await createRoom(alice, { name: uniqueName('typists'), visibility: 'public' });
    for (const account of [bob, carol])
      expect((await account.api.post(`/rooms/${room.id}/join`)).status).toBe(200);
    const bobs = await connect(bob);
    const alices = await connect(alice);
    const carols = await connect(carol);
    alices.send({ type: 'typing', roomId: room.id });
    carols.send({ type: 'typing', roomId: room.id });
    await bobs.next(typingOf(alice.user.id, room.id), 3_000, 'alice typing');
    await bobs.next(typingOf(carol.user.id, room.id), 3_000, 'carol typing');
  });
});

describe('away (client-reported)', () => {
  it('announces a user away once every one of their sockets says so, and online again when one is back', async () => {
    const erin = await register(server, uniqueName('erin'));
    const bobs = await connect(bob);
    const tab1 = await connect(erin);
    const tab2 = await connect(erin);
    const isErin = (frame: ServerFrame) => frame.type === 'presence' && frame.userId === erin.user.id;
    await bobs.next(
      (frame) => isErin(frame) && frame.type === 'presence' && frame.status === 'online',
      3_000,
    );
    const statuses = () =>
      bobs.frames.filter(isErin).map((frame) => (frame.type === 'presence' ? frame.status : ''));

    tab1.send({ type: 'presence', status: 'away' });
    await barrier(tab1);
    await barrier(bobs);
    expect(statuses()).toEqual(['online']); // the other tab is still in use

    tab2.send({ type: 'presence', status: 'away' });
    await bobs.next((frame) => isErin(frame) && frame.type === 'presence' && frame.status === 'away', 3_000);
    tab2.send({ type: 'presence', status: 'away' }); // no change, no frame
    tab1.send({ type: 'presence', status: 'online' });
    await bobs.next(
      (frame) =>
        isErin(frame) && frame.type === 'presence' && frame.status === 'online' && statuses().length > 2,
      3_000,
    );
    await barrier(bobs);
    expect(statuses()).toEqual(['online', 'away', 'online']);
    // Never told to the user themself.
    expect([...tab1.frames, ...tab2.frames].filter(isErin)).toEqual([]);
  });

  it('refuses a status it does not know with an error frame', async () => {
    const alices = await connect(alice);
    alices.send({ type: 'presence', status: 'busy' });
    const error = await alices.next((frame) => frame.type === 'error', 3_000, 'error');
    expect(error).toMatchObject({ type: 'error', code: 'validation_failed' });
  });
});

describe('who is online in GET /rooms/:roomId/members', () => {
  it('marks members with an open socket online and the others offline, and follows a disconnect', async () => {
    const dora = await register(server, uniqueName('dora'));
    const room = await createRoom(alice, { name: 'Presence check', visibility: 'private' });
    expect((await alice.api.post(`/rooms/${room.id}/members`, { username: dora.username })).status).toBe(201);
    const onlineOf = async () => {
      const response = await alice.api.get<{ members: Member[] }>(`/rooms/${room.id}/members`);
      expect(response.status).toBe(200);
      return Object.fromEntries(response.body.members.map((member) => [member.user.username, member.online]));
    };
    expect(await onlineOf()).toEqual({ [alice.username]: false, [dora.username]: false });
    const doras = await connect(dora);
    expect(await onlineOf()).toEqual({ [alice.username]: false, [dora.username]: true });
    await doras.close();
    await sleep(200);
    expect(await onlineOf()).toEqual({ [alice.username]: false, [dora.username]: false });
  });
});

describe('PUT /rooms/:roomId/notifications', () => {
  it('defaults to mentions in a channel and all in a DM, in GET /rooms and GET /rooms/:id', async () => {
    const rooms = await listRooms(bob);
    expect(rooms.find((room) => room.id === general.id)?.notifyLevel).toBe('mentions');
    const dm = await bob.api.post<{ room: Room }>('/dms', { username: alice.username });
    expect(dm.body.room.notifyLevel).toBe('all');
    expect((await getRoom(bob, dm.body.room.id)).notifyLevel).toBe('all');
  });

  it('stores the level of the caller only, and the room objects carry it', async () => {
    const room = await createRoom(alice, { name: uniqueName('levels'), visibility: 'public' });
    expect((await bob.api.post(`/rooms/${room.id}/join`)).status).toBe(200);
    for (const level of ['mute', 'all', 'mentions', 'mute'] as const) {
      const response = await bob.api.put<{ room: Room }>(`/rooms/${room.id}/notifications`, { level });
      expect(response.status).toBe(200);
      expect(response.body.room).toMatchObject({ id: room.id, notifyLevel: level, membership: 'member' });
    }
    expect((await listRooms(bob)).find((candidate) => candidate.id === room.id)?.notifyLevel).toBe('mute');
    expect((await getRoom(bob, room.id)).notifyLevel).toBe('mute');
    // Alice's level is her own.
    expect((await getRoom(alice, room.id)).notifyLevel).toBe('mentions');
  });

  it('refuses a level it does not know with 400 naming `level`', async () => {
    for (const body of [{ level: 'loud' }, {}, { level: 3 }]) {
      const response = await bob.api.put(`/rooms/${general.id}/notifications`, body);
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe('validation_failed');
      expect(fieldPaths(response)).toEqual(['level']);
    }
    const invalid = await bob.api.request(`/rooms/${general.id}/notifications`, {
      method: 'PUT',
      body: '{"level":',
      headers: { 'content-type': 'application/json' },
    });
    expect(invalid.status).toBe(400);
  });

  it('is for members only: 404 for a private room or DM one is not in and unknown rooms, 403 for a public room not joined, 401 without credentials', async () => {
    const secret = await createRoom(alice, { name: uniqueName('secret'), visibility: 'private' });
    const stranger = await register(server, uniqueName('eve'));
    const dm = await alice.api.post<{ room: Room }>('/dms', { username: bob.username });
    const open = await createRoom(alice, { name: uniqueName('open'), visibility: 'public' });
    const put = (account: Account, roomId: string) =>
      account.api.put(`/rooms/${roomId}/notifications`, { level: 'mute' });
    expect((await put(stranger, secret.id)).status).toBe(404);
    expect((await put(stranger, dm.body.room.id)).status).toBe(404);
    expect((await put(stranger, 'no-such-room')).status).toBe(404);
    expect((await put(stranger, open.id)).status).toBe(403);
    const anonymous = await fetch(`${server.httpUrl}/rooms/${general.id}/notifications`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ level: 'mute' }),
    });
    expect(anonymous.status).toBe(401);
    // Nothing changed for the members.
    expect((await getRoom(alice, secret.id)).notifyLevel).toBe('mentions');
  });
});
