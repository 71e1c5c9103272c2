/**
 * Web Push, black box, with a real push service on loopback (test/support/push-service.ts)
 * that checks the VAPID signature and decrypts every payload as a browser would. On SQLite
 * and (PARLEY_TEST_DATABASE=postgres) PostgreSQL.
 */
import type { Room, VapidPublicKeyResponse } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  errorOf,
  fieldPaths,
  postMessage,
  register,
  request,
  SocketPool,
  uniqueName,
} from '../support/client.js';
import { FakePushService, type FakeSubscription } from '../support/push-service.js';
import { addMember, openDm } from '../support/rooms.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let push: FakePushService;
let alice: Account;
const sockets = new SocketPool(() => server);
const SUBJECT = 'mailto:ops@parley.test';

beforeAll(async () => {
  push = await FakePushService.start();
  server = await startServer({ env: { PUSH_ALLOW_HTTP_LOOPBACK: '1', PUSH_SUBJECT: SUBJECT } });
  await register(server, uniqueName('admin'));
  alice = await register(server, uniqueName('alice'), { displayName: 'Alice Liddell' });
});
afterAll(async () => {
  await sockets.closeAll();
  await server?.dispose();
  await push?.close();
});

async function subscribe(account: Account, subscription: FakeSubscription): Promise<void> {
  const response = await account.api.post('/push/subscriptions', { ...subscription, expirationTime: null });
  expect(response.status, response.text).toBe(204);
}

/** A channel of alice's with `bob` in it. */
async function channelWith(bob: Account): Promise<Room> {
  const room = await createRoom(alice, { name: `Push ${uniqueName('r')}`, visibility: 'public' });
  await addMember(alice, room.id, bob.username);
  return room;
}

describe('Web Push', () => {
  it('publishes one VAPID public key, kept across restarts', async () => {
    const first = await alice.api.get<VapidPublicKeyResponse>('/push/vapid-public-key');
    expect(first.status).toBe(200);
    const key = Buffer.from(first.body.publicKey, 'base64url');
    expect(key).toHaveLength(65);
    expect(key[0]).toBe(4); // An uncompressed P-256 point.
    expect((await request(server, '/push/vapid-public-key')).status).toBe(401);
    await server.stop();
    await server.restart();
    const again = await alice.api.get<VapidPublicKeyResponse>('/push/vapid-public-key');
    expect(again.body.publicKey).toBe(first.body.publicKey);
  });

  it('pushes a mention to an offline member, signed and encrypted for their subscription', async () => {
    const bob = await register(server, uniqueName('bob'));
    const room = await channelWith(bob);
    await subscribe(bob, push.subscribe(`mention-${bob.username}`));
    const before = push.received.length;
    // Not for bob at the default level (mentions in a channel): no push; the next one is.
    await postMessage(alice, room.id, 'just chatting, nobody in particular');
    const named = await postMessage(
      alice,
      room.id,
      `**hey** @${bob.username}, see [the doc](https://example.com)`,
    );

    const [received] = (await push.waitFor(before + 1)).slice(before);
    expect(received?.path).toBe(`/push/mention-${bob.username}`);
    expect(received?.payload).toEqual({
      title: `#${room.name} · Alice Liddell`,
      body: `hey @${bob.username}, see the doc`,
      url: `/r/${room.slug}/m/${named.messageId}`,
      tag: `room:${room.id}`,
    });
    const { publicKey } = (await alice.api.get<VapidPublicKeyResponse>('/push/vapid-public-key')).body;
    expect(received?.vapidKey).toBe(publicKey);
    expect(received?.jwt.sub).toBe(SUBJECT);
    expect(received?.headers.ttl).toBeDefined();
    expect(push.failures).toEqual([]);
  });

  it('follows the notification level, pushes DMs, and skips members who are online', async () => {
    const bob = await register(server, uniqueName('bob'));
    const room = await channelWith(bob);
    await subscribe(bob, push.subscribe(`levels-${bob.username}`));
    const start = push.received.length;
    let expected = start;
    /** The next push to arrive (counted from the start, so one that came early is not missed). */
    const expectNext = async (text: string) => {
      expected += 1;
      const [next] = (await push.waitFor(expected)).slice(-1);
      expect(next?.payload.body).toBe(text);
    };

    expect((await bob.api.put(`/rooms/${room.id}/notifications`, { level: 'all' })).status).toBe(200);
    await postMessage(alice, room.id, 'everything, at level all');
    await expectNext('everything, at level all');

    expect((await bob.api.put(`/rooms/${room.id}/notifications`, { level: 'mute' })).status).toBe(200);
    await postMessage(alice, room.id, `muted even when named @${bob.username}`);
    const dm = await openDm(alice, { username: bob.username });
    expect(dm.status, dm.text).toBeLessThan(300);
    const dmRoom = (dm.body as { room: Room }).room;
    await postMessage(alice, dmRoom.id, 'a direct message');
    await expectNext('a direct message'); // The muted one never came.
    expect(push.received.at(-1)?.payload.title).toBe('Alice Liddell');

    const socket = await sockets.connect(bob);
    await postMessage(alice, dmRoom.id, 'bob has the app open');
    await socket.close();
    // Sockets leave presence when closed; the next DM is pushed again, and it is the next one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await postMessage(alice, dmRoom.id, 'bob is away again');
    await expectNext('bob is away again');
    expect(push.received.slice(start).map((p) => p.payload.body)).toEqual([
      'everything, at level all',
      'a direct message',
      'bob is away again',
    ]);
  });

  it('forgets a subscription the push service says is gone (410)', async () => {
    const bob = await register(server, uniqueName('bob'));
    const carol = await register(server, uniqueName('carol'));
    const room = await channelWith(bob);
    await addMember(alice, room.id, carol.username);
    const gone = push.subscribe(`gone-${bob.username}`);
    push.statusFor.set(`/push/gone-${bob.username}`, 410);
    await subscribe(bob, gone);
    await subscribe(carol, push.subscribe(`kept-${carol.username}`));
    const before = push.received.length;
    await postMessage(alice, room.id, `@room the first`);
    await push.waitFor(before + 2);
    await postMessage(alice, room.id, `@room the second`);
    // Pushes of one instance go out in order: the second message's come after the first's
    // outcome was handled, so the gone endpoint is not tried again; carol's still works.
    await push.waitFor(before + 3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      push.received
        .slice(before)
        .map((p) => p.path)
        .sort(),
    ).toEqual(
      [`/push/gone-${bob.username}`, `/push/kept-${carol.username}`, `/push/kept-${carol.username}`].sort(),
    );
    const forgotten = await bob.api.request('/push/subscriptions', {
      method: 'DELETE',
      json: { endpoint: gone.endpoint },
    });
    expect(forgotten.status).toBe(404);
  });

  it('stops pushing to a device once the session that subscribed it has signed out', async () => {
    const bob = await register(server, uniqueName('bob'));
    const carol = await register(server, uniqueName('carol'));
    const room = await channelWith(bob);
    await addMember(alice, room.id, carol.username);
    await subscribe(bob, push.subscribe(`signed-out-${bob.username}`));
    await subscribe(carol, push.subscribe(`signed-in-${carol.username}`));
    // A shared computer: bob signs out, and the browser keeps its push subscription.
    expect((await bob.api.post('/auth/logout', {})).status).toBe(204);
    const before = push.received.length;
    await postMessage(alice, room.id, '@room after bob signed out');
    await push.waitFor(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(push.received.slice(before).map((p) => p.path)).toEqual([`/push/signed-in-${carol.username}`]);
  });

  it('subscribes and unsubscribes only with valid input, one endpoint per browser', async () => {
    const bob = await register(server, uniqueName('bob'));
    const carol = await register(server, uniqueName('carol'));
    const good = push.subscribe(`input-${bob.username}`);
    const refused = async (body: unknown, path: string) => {
      const response = await bob.api.post('/push/subscriptions', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(fieldPaths(response)).toContain(path);
    };
    await refused({ ...good, endpoint: 'http://example.com/push/x' }, 'endpoint');
    // https, but not a browser's push service: an address inside the operator's network.
    await refused({ ...good, endpoint: 'https://10.0.0.5/push/x' }, 'endpoint');
    await refused({ ...good, endpoint: 'ftp://example.com/push/x' }, 'endpoint');
    await refused({ ...good, endpoint: 'https://user:pw@push.example.com/x' }, 'endpoint');
    await refused({ ...good, endpoint: 'not a url' }, 'endpoint');
    await refused({ endpoint: good.endpoint }, 'keys');
    await refused({ ...good, keys: { ...good.keys, p256dh: 'abc' } }, 'keys.p256dh');
    await refused({ ...good, keys: { ...good.keys, auth: 'not base64url!' } }, 'keys.auth');
    expect((await request(server, '/push/subscriptions', { json: good })).status).toBe(401);

    await subscribe(bob, good);
    await subscribe(bob, good); // Again: the same endpoint, still one subscription.
    // Another account signing in on the same browser takes the endpoint over.
    await subscribe(carol, good);
    const notBobs = await bob.api.request('/push/subscriptions', {
      method: 'DELETE',
      json: { endpoint: good.endpoint },
    });
    expect(notBobs.status).toBe(404);
    expect(errorOf(notBobs).code).toBe('not_found');
    const carols = await carol.api.request('/push/subscriptions', {
      method: 'DELETE',
      json: { endpoint: good.endpoint },
    });
    expect(carols.status).toBe(204);
    const missing = await carol.api.request('/push/subscriptions', { method: 'DELETE', json: {} });
    expect(missing.status).toBe(400);
  });
});
