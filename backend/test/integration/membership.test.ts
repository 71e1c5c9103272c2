/**
 * Rooms and who is in them, as people use them: creating rooms, browsing, joining and leaving,
 * owners adding and removing people, direct messages, the instance admin, and what each socket
 * receives while memberships change.
 */
import type { AccountSummary, Job, Member, Room, RoomEvent } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  errorOf,
  fieldPaths,
  getRoom,
  isEvent,
  listRooms,
  postMessage,
  register,
  request,
  roomEvents,
  type Socket,
  SocketPool,
  submitMessage,
  uniqueName,
  waitForCompletion,
} from '../support/client.js';
import { addMember, barrier, type Frame, joinRoom, membersOf, openDm } from '../support/rooms.js';
import { sleep, startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: Account;
let alice: Account;
let bob: Account;
let carol: Account;
let dave: Account;
let erin: Account;
let frank: Account;
let gina: Account;
const sockets = new SocketPool(() => server);

beforeAll(async () => {
  server = await startServer();
  admin = await register(server, uniqueName('root')); // the first account: the instance admin
  const person = (name: string) => register(server, uniqueName(name));
  [alice, bob, carol, dave, erin, frank, gina] = await Promise.all([
    person('alice'),
    person('bob'),
    person('carol'),
    person('dave'),
    person('erin'),
    person('frank'),
    person('gina'),
  ]);
});

afterAll(async () => {
  await sockets.closeAll();
  await server?.dispose();
});

const connect = (account: Account) => sockets.connect(account);

async function events(account: Account, roomId: string, after = 0): Promise<RoomEvent[]> {
  const response = await account.api.get<{ events: RoomEvent[] }>(
    `/rooms/${roomId}/events?after=${after}&limit=200`,
  );
  expect(response.status, response.text).toBe(200);
  return response.body.events;
}

const aboutUser = (roomId: string, type: string, userId: string) =>
  isEvent(
    roomId,
    type,
    (frame) => frame.type === 'event' && 'user' in frame.event.data && frame.event.data.user.id === userId,
  );

const refOf = (account: Account) => ({
  id: account.user.id,
  username: account.user.username,
  displayName: account.user.displayName,
});
/** A member's `user` is the contract's whole user, with the instance role. */
const userOf = (account: Account) => ({
  ...refOf(account),
  role: account.user.role,
  avatarUrl: account.user.avatarUrl,
});

describe('creating rooms', () => {
  it.each(['public', 'private'] as const)(
    'creates a %s room: 201, and its creator is the owner',
    async (visibility) => {
      const response = await alice.api.post<{ room: Room }>('/rooms', {
        name: `Plans ${visibility}`,
        visibility,
        topic: 'what comes next',
      });
      expect(response.status, response.text).toBe(201);
      const room = response.body.room;
      expect(room).toMatchObject({
        id: expect.any(String),
        slug: `plans-${visibility}`,
        name: `Plans ${visibility}`,
        topic: 'what comes next',
        visibility,
        lastSeq: expect.any(Number),
        membership: 'owner',
      });
      expect(await getRoom(alice, room.id)).toMatchObject({ id: room.id, membership: 'owner' });
      const members = await membersOf(alice, room.id);
      expect(members).toEqual([
        { user: userOf(alice), role: 'owner', joinedAt: expect.any(String), online: false },
      ]);
    },
  );

  it('derives the slug from the name, with -2, -3 … when it is taken', async () => {
    // Three names (room names are unique, ignoring case) that fold to the same slug.
    const slugs = [];
    for (const name of ['Book Club', 'Book club!', 'book-club'])
      slugs.push((await createRoom(alice, { name, visibility: 'public' })).slug);
    expect(slugs).toEqual(['book-club', 'book-club-2', 'book-club-3']);
  });

  it('cuts a long derived slug so that the suffix still fits 64 characters', async () => {
    const first = await createRoom(alice, { name: 'a'.repeat(80), visibility: 'public' });
    const second = await createRoom(alice, { name: `${'a'.repeat(79)}!`, visibility: 'public' });
    expect(first.slug).toBe('a'.repeat(64));
    expect(second.slug).toBe(`${'a'.repeat(62)}-2`);
  });

  it('folds an explicit slug to lower case and refuses a taken one with 409 conflict', async () => {
    const room = await createRoom(alice, { name: 'Garden', slug: 'Green-Thumbs', visibility: 'public' });
    expect(room.slug).toBe('green-thumbs');
    for (const slug of ['green-thumbs', 'GREEN-THUMBS', 'book-club']) {
      const taken = await bob.api.post('/rooms', { name: 'Mine now', slug, visibility: 'private' });
      expect(taken.status, slug).toBe(409);
      expect(errorOf(taken).code).toBe('conflict');
    }
  });

  it('counts the 80-character name limit in code points', async () => {
    const room = await createRoom(alice, { name: '🙂'.repeat(80), visibility: 'public' });
    expect(room.name).toBe('🙂'.repeat(80));
    const tooLong = await alice.api.post('/rooms', { name: '🙂'.repeat(81), visibility: 'public' });
    expect(tooLong.status).toBe(400);
    expect(errorOf(tooLong).code).toBe('validation_failed');
    expect(fieldPaths(tooLong)).toEqual(['name']);
  });

  it.each([
    [{ name: 'n'.repeat(81) }, 'name'],
    [{ name: '' }, 'name'],
    [{ name: 'Bad slug', slug: 'A!' }, 'slug'],
    [{ name: 'Short slug', slug: 'a' }, 'slug'],
    [{ name: 'Long slug', slug: 's'.repeat(65) }, 'slug'],
    [{ name: 'Long topic', topic: 't'.repeat(501) }, 'topic'],
    [{ name: 'No such kind', visibility: 'secret' }, 'visibility'],
  ])('refuses %j with 400 validation_failed naming %s', async (fields, path) => {
    const response = await alice.api.post('/rooms', { visibility: 'public', ...fields });
    expect(response.status, response.text).toBe(400);
    expect(errorOf(response).code).toBe('validation_failed');
    expect(fieldPaths(response)).toEqual([path]);
  });
});

describe('browsing rooms', () => {
  it('shows every public room, and private rooms and DMs only to their members', async () => {
    const carolsSecret = await createRoom(carol, { name: 'Carol’s secret', visibility: 'private' });
    const carolsDm = (await openDm(carol, { username: bob.username })).body.room;
    const ginasSecret = await createRoom(gina, { name: 'Gina’s secret', visibility: 'private' });
    const ginasDm = (await openDm(gina, { username: erin.username })).body.room;
    const alicesPublic = await createRoom(alice, { name: 'Open to all', visibility: 'public' });

    const everything = await admin.api.get<{ rooms: Room[] }>('/admin/rooms');
    expect(everything.status).toBe(200);
    const publicIds = everything.body.rooms
      .filter((room) => room.visibility === 'public')
      .map((room) => room.id);
    expect(publicIds).toContain(alicesPublic.id);

    const seen = await listRooms(gina);
    expect(seen.map((room) => room.id).sort()).toEqual([...publicIds, ginasSecret.id, ginasDm.id].sort());
    expect(seen.find((room) => room.id === alicesPublic.id)?.membership).toBeNull();
    expect(seen.find((room) => room.id === ginasSecret.id)?.membership).toBe('owner');
    expect(seen.find((room) => room.id === ginasDm.id)).toMatchObject({
      visibility: 'dm',
      membership: 'member',
    });

    const carolSees = (await listRooms(carol)).map((room) => room.id);
    expect(carolSees).toEqual(expect.arrayContaining([carolsSecret.id, carolsDm.id, alicesPublic.id]));
    expect(carolSees).not.toContain(ginasSecret.id);
    expect(carolSees).not.toContain(ginasDm.id);
  });
});

describe('joining and leaving', () => {
  it('joins a public room: 200 as member, with a member.joined event', async () => {
    const room = await createRoom(alice, { name: 'Open house', visibility: 'public' });
    const owners = await connect(alice);
    const response = await bob.api.post<{ room: Room }>(`/rooms/${room.id}/join`);
    expect(response.status, response.text).toBe(200);
    expect(response.body.room).toMatchObject({ id: room.id, visibility: 'public', membership: 'member' });

    const joined = await owners.next<Frame<'event'>>(aboutUser(room.id, 'member.joined', bob.user.id));
    expect(joined.event).toMatchObject({ actor: { id: bob.user.id }, data: { user: refOf(bob) } });
    expect((await getRoom(bob, room.id)).membership).toBe('member');
    expect((await membersOf(bob, room.id)).map((m) => [m.user.id, m.role])).toEqual([
      [alice.user.id, 'owner'],
      [bob.user.id, 'member'],
    ]);
  });

  it('answers 404 to a stranger joining a private room, and lets nobody in', async () => {
    const room = await createRoom(alice, { name: 'Back office', visibility: 'private' });
    const response = await bob.api.post(`/rooms/${room.id}/join`);
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe('not_found');
    expect((await events(alice, room.id)).filter((event) => event.type === 'member.joined')).toHaveLength(1);
    expect((await membersOf(alice, room.id)).map((m) => m.user.id)).toEqual([alice.user.id]);
  });

  it('leaves a room: 204 and a member.left event, then sees it from outside', async () => {
    const room = await createRoom(alice, { name: 'Drop-in', visibility: 'public' });
    await joinRoom(bob, room.id);
    const owners = await connect(alice);
    const response = await bob.api.post(`/rooms/${room.id}/leave`);
    expect(response.status, response.text).toBe(204);
    expect(response.text).toBe('');
    const left = await owners.next<Frame<'event'>>(aboutUser(room.id, 'member.left', bob.user.id));
    expect(left.event).toMatchObject({ actor: { id: bob.user.id }, data: { user: refOf(bob) } });
    expect((await getRoom(bob, room.id)).membership).toBeNull();
    expect((await bob.api.get(`/rooms/${room.id}/messages`)).status).toBe(403);
  });

  it('hands the room to the next member when its owner leaves', async () => {
    const room = await createRoom(alice, { name: 'Relay', visibility: 'public' });
    await joinRoom(bob, room.id);
    await joinRoom(carol, room.id);
    const bobs = await connect(bob);
    expect((await alice.api.post(`/rooms/${room.id}/leave`)).status).toBe(204);

    const left = await bobs.next<Frame<'event'>>(aboutUser(room.id, 'member.left', alice.user.id));
    const handedOver = await bobs.next<Frame<'event'>>(
      aboutUser(room.id, 'member.role_changed', bob.user.id),
    );
    expect(handedOver.event.data).toEqual({ user: refOf(bob), role: 'owner' });
    expect(handedOver.event.seq).toBeGreaterThan(left.event.seq);
    expect((await membersOf(bob, room.id)).map((m) => [m.user.id, m.role])).toEqual([
      [bob.user.id, 'owner'],
      [carol.user.id, 'member'],
    ]);
    expect((await getRoom(bob, room.id)).membership).toBe('owner');
    // The new owner has the owner's powers.
    expect((await bob.api.delete(`/rooms/${room.id}/members/${carol.user.id}`)).status).toBe(204);
  });

  it('refuses to leave a DM with 409 conflict', async () => {
    const dm = await openDm(alice, { username: carol.username });
    expect(dm.status).toBe(201);
    const response = await alice.api.post(`/rooms/${dm.body.room.id}/leave`);
    expect(response.status).toBe(409);
    expect(errorOf(response).code).toBe('conflict');
    expect((await getRoom(alice, dm.body.room.id)).membership).toBe('member');
  });
});

describe('adding and removing members', () => {
  it('lets the owner add someone to a private room: 201, and the room appears for them', async () => {
    const room = await createRoom(alice, { name: 'Invite only', visibility: 'private' });
    expect((await carol.api.get(`/rooms/${room.id}`)).status).toBe(404);
    const response = await alice.api.post<{ member: Member }>(`/rooms/${room.id}/members`, {
      username: carol.username,
    });
    expect(response.status, response.text).toBe(201);
    expect(response.body.member).toEqual({
      user: userOf(carol),
      role: 'member',
      joinedAt: expect.any(String),
    });
    expect((await listRooms(carol)).find((r) => r.id === room.id)).toMatchObject({ membership: 'member' });
    expect((await membersOf(carol, room.id)).map((m) => m.user.id)).toEqual([alice.user.id, carol.user.id]);
    const log = await events(carol, room.id);
    expect(log.at(-1)).toMatchObject({
      type: 'member.joined',
      actor: { id: alice.user.id },
      data: { user: refOf(carol) },
    });
  });

  it('answers 404 for an unknown username and 409 for someone already in', async () => {
    const room = await createRoom(alice, { name: 'Guest list', visibility: 'private' });
    await addMember(alice, room.id, carol.username);
    const unknown = await alice.api.post(`/rooms/${room.id}/members`, { username: 'nobody-by-that-name' });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe('not_found');
    const again = await alice.api.post(`/rooms/${room.id}/members`, { username: carol.username });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('conflict');
  });

  it('lets the owner remove a member (204), after which the private room is 404 to them', async () => {
    const room = await createRoom(alice, { name: 'Short stay', visibility: 'private' });
    await addMember(alice, room.id, carol.username);
    const response = await alice.api.delete(`/rooms/${room.id}/members/${carol.user.id}`);
    expect(response.status, response.text).toBe(204);
    expect((await carol.api.get(`/rooms/${room.id}`)).status).toBe(404);
    expect((await listRooms(carol)).map((r) => r.id)).not.toContain(room.id);
    expect((await events(alice, room.id)).at(-1)).toMatchObject({
      type: 'member.left',
      actor: { id: alice.user.id },
      data: { user: refOf(carol) },
    });
  });

  it('shuts a member out at once when removed or leaving, however recently it sent and read', async () => {
    const closed = await createRoom(alice, { name: 'Recent use, private', visibility: 'private' });
    const open = await createRoom(alice, { name: 'Recent use, public', visibility: 'public' });
    await addMember(alice, closed.id, gina.username);
    await joinRoom(gina, open.id);
    // Sending and reading just before: the server may remember that gina is a member.
    for (const room of [closed, open]) {
      await postMessage(gina, room.id, 'still here');
      expect((await gina.api.get(`/rooms/${room.id}/messages`)).status).toBe(200);
    }
    expect((await alice.api.delete(`/rooms/${closed.id}/members/${gina.user.id}`)).status).toBe(204);
    expect((await gina.api.delete(`/rooms/${open.id}/members/${gina.user.id}`)).status).toBe(204);
    for (const [room, status] of [
      [closed, 404],
      [open, 403],
    ] as const) {
      const send = await gina.api.post('/jobs', { type: 'message', roomId: room.id, text: 'gone' });
      expect(send.status, send.text).toBe(status);
      expect((await gina.api.get(`/rooms/${room.id}/messages`)).status).toBe(status);
    }
    // And back in straight away after joining again.
    await joinRoom(gina, open.id);
    expect((await gina.api.get(`/rooms/${open.id}/messages`)).status).toBe(200);
  });

  it('lets a member remove itself, but not the owner', async () => {
    const room = await createRoom(alice, { name: 'Come and go', visibility: 'private' });
    await addMember(alice, room.id, carol.username);
    const owner = await carol.api.delete(`/rooms/${room.id}/members/${alice.user.id}`);
    expect(owner.status).toBe(403);
    expect(errorOf(owner).code).toBe('forbidden');
    expect((await carol.api.delete(`/rooms/${room.id}/members/${carol.user.id}`)).status).toBe(204);
    expect((await membersOf(alice, room.id)).map((m) => m.user.id)).toEqual([alice.user.id]);
  });
  it('answers 404 to a former member of a private room editing or deleting its own message', async () => {
    const closed = await createRoom(alice, { name: 'Former members', visibility: 'private' });
    const open = await createRoom(alice, { name: 'Former members, open', visibility: 'public' });
    await addMember(alice, closed.id, carol.username);
    await joinRoom(carol, open.id);
    const inClosed = await postMessage(carol, closed.id, 'said while inside');
    const inOpen = await postMessage(carol, open.id, 'said while inside, openly');
    expect((await carol.api.post(`/rooms/${closed.id}/leave`)).status).toBe(204);
    expect((await carol.api.post(`/rooms/${open.id}/leave`)).status).toBe(204);

    // "A caller who is no longer a member of a private room or DM gets 404"; a public room: 403.
    for (const [messageId, status] of [
      [inClosed.messageId, 404],
      [inOpen.messageId, 403],
    ] as const) {
      expect((await carol.api.patch(`/messages/${messageId}`, { text: 'rewritten' })).status).toBe(status);
      expect((await carol.api.delete(`/messages/${messageId}`)).status).toBe(status);
    }
  });
});

describe('direct messages', () => {
  it('opens one DM per pair: 201 once, then 200 with the same room from either side', async () => {
    const first = await openDm(bob, { username: dave.username });
    expect(first.status, first.text).toBe(201);
    expect(first.body.room).toMatchObject({ id: expect.any(String), visibility: 'dm', membership: 'member' });
    const id = first.body.room.id;

    const again = await openDm(bob, { username: dave.username });
    const otherSide = await openDm(dave, { username: bob.username });
    const otherCase = await openDm(dave, { username: bob.username.toUpperCase() });
    for (const response of [again, otherSide, otherCase]) {
      expect(response.status, response.text).toBe(200);
      expect(response.body.room).toMatchObject({ id, visibility: 'dm', membership: 'member' });
    }
    expect((await membersOf(dave, id)).map((m) => [m.user.id, m.role]).sort()).toEqual(
      [
        [bob.user.id, 'member'],
        [dave.user.id, 'member'],
      ].sort(),
    );
    expect((await listRooms(bob)).find((room) => room.id === id)?.visibility).toBe('dm');
    expect((await alice.api.get(`/rooms/${id}`)).status).toBe(404);
  });

  it('opens a group DM with usernames, the same room for the same people', async () => {
    const pair = await openDm(bob, { username: carol.username });
    const group = await openDm(bob, { usernames: [carol.username, dave.username] });
    expect(group.status, group.text).toBe(201);
    expect(group.body.room).toMatchObject({ visibility: 'dm', membership: 'member' });
    expect(group.body.room.id).not.toBe(pair.body.room.id);
    const fromCarol = await openDm(carol, { usernames: [dave.username, bob.username] });
    expect(fromCarol.status).toBe(200);
    expect(fromCarol.body.room.id).toBe(group.body.room.id);
    const people = (await membersOf(dave, group.body.room.id)).map((m) => m.user.id).sort();
    expect(people).toEqual([bob.user.id, carol.user.id, dave.user.id].sort());
  });

  it('answers 404 for a DM with someone who does not exist', async () => {
    const response = await openDm(bob, { username: 'no-such-person' });
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe('not_found');
  });
});

describe('instance administration', () => {
  it('lists every account to the instance admin', async () => {
    const response = await admin.api.get<{ users: AccountSummary[] }>('/admin/users');
    expect(response.status, response.text).toBe(200);
    const byId = new Map(response.body.users.map((user) => [user.id, user]));
    expect(byId.get(admin.user.id)).toMatchObject({
      username: admin.username,
      role: 'admin',
      deactivated: false,
    });
    for (const account of [alice, bob, carol, dave, erin, frank, gina]) {
      expect(byId.get(account.user.id)).toMatchObject({
        username: account.username,
        role: 'member',
        deactivated: false,
        createdAt: expect.any(String),
      });
    }
  });

  it('refuses the admin endpoints to a member with 403 forbidden', async () => {
    for (const [method, path] of [
      ['GET', '/admin/users'],
      ['GET', '/admin/rooms'],
      ['POST', `/admin/users/${bob.user.id}/deactivate`],
    ] as const) {
      const response = await alice.api.request(path, { method });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(errorOf(response).code).toBe('forbidden');
    }
    expect((await bob.api.get('/me')).status).toBe(200);
  });

  it('deactivates an account: its token answers 401 and its socket closes with 4001 within 1.5 s', async () => {
    const victim = await register(server, uniqueName('victim'));
    const socket = await connect(victim);
    const response = await admin.api.post<{ user: AccountSummary }>(
      `/admin/users/${victim.user.id}/deactivate`,
    );
    expect(response.status, response.text).toBe(200);
    expect(response.body.user).toMatchObject({ id: victim.user.id, deactivated: true });
    const closed = await Promise.race([socket.closed, sleep(1_500).then(() => undefined)]);
    expect(closed?.code, 'the socket was not closed within 1.5 s').toBe(4001);

    const me = await victim.api.get('/me');
    expect(me.status).toBe(401);
    expect(errorOf(me).code).toBe('unauthenticated');
    const login = await request(server, '/auth/login', {
      json: { username: victim.username, password: victim.password },
    });
    expect(login.status).toBe(401);
    const users = await admin.api.get<{ users: AccountSummary[] }>('/admin/users');
    expect(users.body.users.find((user) => user.id === victim.user.id)?.deactivated).toBe(true);
  });
});

describe('socket isolation', () => {
  it('delivers a public room’s events to its member and none of a private room it is not in', async () => {
    const perRoom = 20;
    const open = await createRoom(alice, { name: 'Isolation: open', visibility: 'public' });
    const closed = await createRoom(alice, { name: 'Isolation: closed', visibility: 'private' });
    await joinRoom(erin, open.id);
    await addMember(alice, closed.id, carol.username);
    const erins = await connect(erin);
    const carols = await connect(carol);
    expect(erins.ready.rooms.map((room) => room.roomId)).toContain(open.id);
    expect(erins.ready.rooms.map((room) => room.roomId)).not.toContain(closed.id);

    // Interleaved: both rooms are busy at the same moment.
    const submissions: Promise<Job>[] = [];
    for (let i = 0; i < perRoom; i++) {
      submissions.push(submitMessage(alice, open.id, `open ${i}`));
      submissions.push(submitMessage(carol, closed.id, `closed ${i}`));
    }
    const jobs = await Promise.all(submissions);
    const done = await Promise.all(
      jobs.map((job) => waitForCompletion(job.roomId === open.id ? alice : carol, job.id)),
    );
    const openIds = done.filter((job) => job.roomId === open.id).map((job) => job.result.messageId);
    const closedIds = done.filter((job) => job.roomId === closed.id).map((job) => job.result.messageId);

    const created = (socket: Socket, roomId: string) =>
      roomEvents(socket, roomId).flatMap((event) =>
        event.type === 'message.created' ? [event.data.message.id] : [],
      );
    for (let i = 0; i < perRoom; i++) {
      await erins.next(
        isEvent(open.id, 'message.created'),
        5_000,
        `message.created ${i + 1} in the open room`,
      );
      await carols.next(
        isEvent(closed.id, 'message.created'),
        5_000,
        `message.created ${i + 1} in the closed room`,
      );
    }
    await sleep(300);
    await barrier(erins);
    expect(created(carols, closed.id).sort()).toEqual([...closedIds].sort());
    expect(created(erins, open.id).sort()).toEqual([...openIds].sort());
    expect(roomEvents(erins, closed.id)).toEqual([]);
    expect(erins.frames.filter((frame) => JSON.stringify(frame).includes(closed.id))).toEqual([]);
  });
});

describe('live membership', () => {
  it('starts and stops a socket’s flow of a private room as its owner adds and removes the user', async () => {
    const room = await createRoom(alice, { name: 'Live membership', visibility: 'private' });
    const alices = await connect(alice);
    const franks = await connect(frank);
    expect(franks.ready.rooms.map((r) => r.roomId)).not.toContain(room.id);
    await postMessage(alice, room.id, 'before frank');

    await addMember(alice, room.id, frank.username);
    const joined = await franks.next<Frame<'event'>>(aboutUser(room.id, 'member.joined', frank.user.id));
    for (const text of ['welcome', 'frank', 'to the room']) await postMessage(alice, room.id, text);
    for (const text of ['welcome', 'frank', 'to the room']) {
      await franks.next(
        isEvent(
          room.id,
          'message.created',
          (f) => f.type === 'event' && 'message' in f.event.data && f.event.data.message.text === text,
        ),
        5_000,
        `"${text}" on frank's socket`,
      );
    }

    const removed = await alice.api.delete(`/rooms/${room.id}/members/${frank.user.id}`);
    expect(removed.status).toBe(204);
    const left = await franks.next<Frame<'event'>>(aboutUser(room.id, 'member.left', frank.user.id));
    expect(left.event.actor.id).toBe(alice.user.id);

    const after = [];
    for (const text of ['now', 'without', 'frank']) after.push(await postMessage(alice, room.id, text));
    const last = after.at(-1)?.seq ?? Number.NaN;
    await alices.next(isEvent(room.id, 'message.created', (f) => f.type === 'event' && f.event.seq === last));
    await sleep(500);
    await barrier(franks);

    const seqs = roomEvents(franks, room.id).map((event) => event.seq);
    expect(seqs[0]).toBe(joined.event.seq);
    expect(seqs.at(-1)).toBe(left.event.seq);
    expect(seqs).toEqual(
      Array.from({ length: left.event.seq - joined.event.seq + 1 }, (_, i) => joined.event.seq + i),
    );
    // The same socket throughout: no reconnect, one ready frame.
    expect(franks.frames.filter((frame) => frame.type === 'ready')).toHaveLength(1);
    expect(franks.ws.readyState).toBe(franks.ws.OPEN);
    expect((await frank.api.get(`/rooms/${room.id}`)).status).toBe(404);
  });
});
