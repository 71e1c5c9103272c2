/**
 * Profiles against a real server: renaming (`PATCH /me`), the avatar (`PUT`/`DELETE /me/avatar`,
 * served at its versioned URL), the `user.updated` frame to those who share a room, authors
 * shown as they are now in history, and a password change ending the other sessions.
 */
import type { Member, Message, ServerFrame, User, UserRef } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  errorOf,
  expectStatus,
  fieldPaths,
  generalRoom,
  isEvent,
  messagesPage,
  postMessage,
  register,
  request,
  SocketPool,
  uniqueName,
} from '../support/client.js';
import { makePng } from '../support/files.js';
import { addMember, barrier, type Frame } from '../support/rooms.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
const sockets = new SocketPool(() => server);

beforeAll(async () => {
  server = await startServer();
  await register(server, uniqueName('admin'));
});
afterAll(async () => {
  await sockets.closeAll();
  await server?.dispose();
});

type UserUpdated = Extract<ServerFrame, { type: 'user.updated' }>;
const isUpdateOf = (userId: string) => (frame: ServerFrame) =>
  frame.type === 'user.updated' && frame.user.id === userId;

const rename = (account: Account, displayName: unknown) =>
  account.api.patch<{ user: User }>('/me', { displayName });

const putAvatar = (account: Account, bytes: Uint8Array, contentType = 'image/png') =>
  account.api.request<{ user: User }>('/me/avatar', {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': contentType },
  });

/** GET of an image URL: status, headers and the bytes. */
async function fetchImage(account: Account | undefined, url: string) {
  const response = await fetch(new URL(url, server.httpUrl), {
    headers: account ? { authorization: `Bearer ${account.token}` } : {},
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Leaves `general`, so the account shares no room with anyone. */
async function leaveGeneral(account: Account): Promise<void> {
  const general = await generalRoom(account);
  expectStatus(await account.api.post(`/rooms/${general.id}/leave`), 204, 'leave general');
}

describe('PATCH /me', () => {
  it('renames: the answer, GET /me, lookups, members and earlier messages all show the new name', async () => {
    const ann = await register(server, uniqueName('ann'), { displayName: 'Ann Before' });
    const general = await generalRoom(ann);
    await postMessage(ann, general.id, 'written under the old name');
    expect((await ann.api.get<{ user: User }>('/me')).body.user.displayName).toBe('Ann Before');

    const renamed = expectStatus(await rename(ann, '  Ann After  '), 200, 'rename');
    expect(renamed.body.user).toMatchObject({ id: ann.user.id, displayName: 'Ann After', avatarUrl: null });
    // At once, although the session's principal was cached by the GET /me above.
    expect((await ann.api.get<{ user: User }>('/me')).body.user.displayName).toBe('Ann After');
    const found = await ann.api.get<{ users: UserRef[] }>(`/users?q=${ann.username}`);
    expect(found.body.users.find((user) => user.id === ann.user.id)?.displayName).toBe('Ann After');
    const members = await ann.api.get<{ members: Member[] }>(`/rooms/${general.id}/members`);
    expect(members.body.members.find((m) => m.user.id === ann.user.id)?.user.displayName).toBe('Ann After');
    const page = await messagesPage(ann, general.id, '?limit=5');
    const own = page.messages.filter((message) => message.author.id === ann.user.id);
    expect(own.length).toBeGreaterThan(0);
    for (const message of own) expect(message.author.displayName).toBe('Ann After');
  });

  it('tells every socket that shares a room, and the user’s own, with one user.updated frame', async () => {
    const ann = await register(server, uniqueName('ann'));
    const bob = await register(server, uniqueName('bob'));
    const loner = await register(server, uniqueName('loner'));
    await leaveGeneral(loner);
    const second = await createRoom(ann, { name: uniqueName('second'), visibility: 'private' });
    await addMember(ann, second.id, bob.username);
    const bobSocket = await sockets.connect(bob);
    const annOtherTab = await sockets.connect(ann);
    const lonerSocket = await sockets.connect(loner);

    expectStatus(await rename(ann, 'Ann Renamed'), 200, 'rename');
    const seen = await bobSocket.next<UserUpdated>(isUpdateOf(ann.user.id), 5_000, 'user.updated at bob');
    expect(seen.user).toEqual({
      id: ann.user.id,
      username: ann.username,
      displayName: 'Ann Renamed',
      avatarUrl: null,
    });
    await annOtherTab.next(isUpdateOf(ann.user.id), 5_000, 'user.updated at ann’s other tab');
    // Someone who shares no room with Ann hears nothing (everything sent before the pong has come).
    await barrier(lonerSocket);
    expect(lonerSocket.frames.some(isUpdateOf(ann.user.id))).toBe(false);
    // Bob heard it once, although he shares two rooms with Ann.
    await barrier(bobSocket);
    expect(bobSocket.frames.filter(isUpdateOf(ann.user.id))).toHaveLength(1);
  });

  it('refuses a bad name with 400 naming the field, and changes nothing', async () => {
    const ann = await register(server, uniqueName('ann'), { displayName: 'Ann Kept' });
    for (const bad of ['x'.repeat(65), '   ', '', 'tab\there', 'line\nbreak', 'nul\u0000', 42, null]) {
      const refused = await rename(ann, bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(fieldPaths(refused)).toEqual(['displayName']);
    }
    expect((await ann.api.patch('/me', {})).status).toBe(400);
    // 64 code points (emoji are one each, two UTF-16 units) is the most.
    expect((await rename(ann, '😀'.repeat(64))).status).toBe(200);
    expect((await rename(ann, '😀'.repeat(65))).status).toBe(400);
    const notJson = await ann.api.request('/me', {
      method: 'PATCH',
      body: 'displayName=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(notJson.status).toBe(415);
    expect((await request(server, '/me', { method: 'PATCH', json: { displayName: 'Nobody' } })).status).toBe(
      401,
    );
  });
});

describe('PUT /me/avatar', () => {
  it('stores 256 and 64 pixel WebP squares, served at a versioned URL with long caching', async () => {
    const ann = await register(server, uniqueName('ann'));
    const bob = await register(server, uniqueName('bob'));
    const bobSocket = await sockets.connect(bob);
    const set = expectStatus(await putAvatar(ann, makePng(600, 400)), 200, 'PUT avatar');
    const avatarUrl = set.body.user.avatarUrl ?? '';
    expect(avatarUrl).toMatch(new RegExp(`^/users/${ann.user.id}/avatar/[^/?]+$`));
    const seen = await bobSocket.next<UserUpdated>(isUpdateOf(ann.user.id), 5_000, 'user.updated');
    expect(seen.user.avatarUrl).toBe(avatarUrl);

    // Any signed-in user may see it; nobody signed out may.
    const large = await fetchImage(bob, avatarUrl);
    expect(large.response.status).toBe(200);
    expect(large.response.headers.get('content-type')).toBe('image/webp');
    expect(large.response.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(large.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await sharp(large.bytes).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256 });
    const small = await fetchImage(bob, `${avatarUrl}?size=small`);
    expect(await sharp(small.bytes).metadata()).toMatchObject({ format: 'webp', width: 64, height: 64 });
    expect((await fetchImage(undefined, avatarUrl)).response.status).toBe(401);

    // Everywhere the user is shown: GET /me, members, lookups, and beside messages.
    expect((await ann.api.get<{ user: User }>('/me')).body.user.avatarUrl).toBe(avatarUrl);
    const general = await generalRoom(ann);
    const members = await bob.api.get<{ members: Member[] }>(`/rooms/${general.id}/members`);
    expect(members.body.members.find((m) => m.user.id === ann.user.id)?.user.avatarUrl).toBe(avatarUrl);
    const found = await bob.api.get<{ users: UserRef[] }>(`/users?q=${ann.username}`);
    expect(found.body.users.find((user) => user.id === ann.user.id)?.avatarUrl).toBe(avatarUrl);
    const sent = await postMessage(ann, general.id, 'with a face');
    const created = await bobSocket.next<Frame<'event'>>(
      isEvent(
        general.id,
        'message.created',
        (frame) => frame.type === 'event' && frame.event.seq === sent.seq,
      ),
      5_000,
      'message.created',
    );
    expect((created.event.data as { message: Message }).message.author.avatarUrl).toBe(avatarUrl);

    // A new picture is a new URL; the old one stops being served. Earlier messages show the new one.
    const replaced = expectStatus(await putAvatar(ann, makePng(100, 300)), 200, 'replace').body.user;
    expect(replaced.avatarUrl).not.toBe(avatarUrl);
    expect((await fetchImage(bob, avatarUrl)).response.status).toBe(404);
    expect((await fetchImage(bob, replaced.avatarUrl ?? '')).response.status).toBe(200);
    const page = await messagesPage(bob, general.id, `?after=${sent.seq - 1}&limit=1`);
    expect(page.messages[0]?.author.avatarUrl).toBe(replaced.avatarUrl);

    // DELETE removes it: null everywhere, and the URL is gone.
    const removed = expectStatus(await ann.api.delete<{ user: User }>('/me/avatar'), 200, 'DELETE avatar');
    expect(removed.body.user.avatarUrl).toBeNull();
    expect((await fetchImage(bob, replaced.avatarUrl ?? '')).response.status).toBe(404);
    const cleared = await bobSocket.next<UserUpdated>(
      (frame) => isUpdateOf(ann.user.id)(frame) && (frame as UserUpdated).user.avatarUrl === null,
      5_000,
      'user.updated without avatar',
    );
    expect(cleared.user.avatarUrl).toBeNull();
  });

  it('refuses what is not an image with 415, a huge file with 413, an unreadable one with 400', async () => {
    const ann = await register(server, uniqueName('ann'));
    const text = await putAvatar(ann, Buffer.from('just some text, not a picture'), 'image/png');
    expect(text.status).toBe(415);
    expect(errorOf(text).code).toBe('unsupported_media_type');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect((await putAvatar(ann, svg, 'image/svg+xml')).status).toBe(415);
    const json = await ann.api.put('/me/avatar', { image: 'base64' });
    expect(json.status).toBe(415);

    const huge = Buffer.concat([makePng(10, 10), Buffer.alloc(5 * 1024 * 1024 + 1)]);
    const tooLarge = await putAvatar(ann, huge);
    expect(tooLarge.status).toBe(413);
    expect(errorOf(tooLarge).code).toBe('payload_too_large');

    const truncated = makePng(300, 300).subarray(0, 60);
    const unreadable = await putAvatar(ann, truncated);
    expect(unreadable.status).toBe(400);
    expect(fieldPaths(unreadable)).toEqual(['avatar']);
    expect((await putAvatar(ann, new Uint8Array(0))).status).toBe(400);

    // Nothing was set by any of them.
    expect((await ann.api.get<{ user: User }>('/me')).body.user.avatarUrl).toBeNull();
    expect((await request(server, '/me/avatar', { method: 'PUT', body: makePng(5, 5) })).status).toBe(401);
  });

  it('answers 404 for an unknown user or version', async () => {
    const ann = await register(server, uniqueName('ann'));
    expect((await fetchImage(ann, `/users/${ann.user.id}/avatar/nope`)).response.status).toBe(404);
    expect((await fetchImage(ann, '/users/nobody/avatar/nope')).response.status).toBe(404);
  });
});

describe('a password change', () => {
  it('ends the other sessions (cookie and token refused, sockets closed) and keeps this one', async () => {
    const ann = await register(server, uniqueName('ann'));
    const other = await request<{ token: string }>(server, '/auth/login', {
      json: { username: ann.username, password: ann.password },
    });
    const otherToken = expectStatus(other, 200, 'second sign-in').body.token;
    const otherCookie = (other.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await request(server, '/me', { headers: { cookie: otherCookie } })).status).toBe(200);
    const otherSocket = await sockets.connect({ token: otherToken });
    const ownSocket = await sockets.connect(ann);

    const changed = await ann.api.post('/me/password', {
      currentPassword: ann.password,
      newPassword: 'a completely new passphrase',
    });
    expect(changed.status).toBe(204);
    expect(await otherSocket.closed).toMatchObject({ code: 4001 });
    expect((await request(server, '/me', { headers: { cookie: otherCookie } })).status).toBe(401);
    expect((await request(server, '/me', { token: otherToken })).status).toBe(401);
    // The session that changed it goes on, socket included.
    expect((await ann.api.get('/me')).status).toBe(200);
    await barrier(ownSocket);
  });
});
