/**
 * GET /mentions, black box, on SQLite and (PARLEY_TEST_DATABASE=postgres) PostgreSQL: who is
 * listed (names, @room/@here, replies, threads), what never is (the author, code, a room the
 * reader left or cannot read, deleted messages), the read state, pages, and refusals.
 */
import type { MentionsResponse, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  errorOf,
  postMessage,
  register,
  request,
  SocketPool,
  uniqueName,
} from '../support/client.js';
import { addMember } from '../support/rooms.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let alice: Account;
const sockets = new SocketPool(() => server);

beforeAll(async () => {
  server = await startServer();
  await register(server, uniqueName('admin'));
  alice = await register(server, uniqueName('alice'));
});
afterAll(async () => {
  await sockets.closeAll();
  await server?.dispose();
});

async function inbox(account: Account, query = ''): Promise<MentionsResponse> {
  const response = await account.api.get<MentionsResponse>(`/mentions${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

const ids = (response: MentionsResponse) => response.items.map((item) => item.message.id);

/** A room of alice's with these people in it. */
async function roomWith(visibility: 'public' | 'private', ...people: Account[]): Promise<Room> {
  const room = await createRoom(alice, { name: `Inbox ${uniqueName('r')}`, visibility });
  for (const person of people) await addMember(alice, room.id, person.username);
  return room;
}

async function reply(account: Account, roomId: string, replyTo: string, text: string) {
  const response = await account.api.post<{ job: { id: string } }>('/jobs', {
    type: 'message',
    roomId,
    text,
    replyTo,
  });
  expect(response.status, response.text).toBe(202);
  for (let i = 0; i < 300; i++) {
    const job = await account.api.get<{ job: { status: string; result?: { messageId: string } } }>(
      `/jobs/${response.body.job.id}`,
    );
    if (job.body.job.status === 'completed' && job.body.job.result) return job.body.job.result.messageId;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('reply did not complete');
}

describe('the Mentions inbox', () => {
  it('lists a mention by name with its room, permalink and unread state; not to the author or others', async () => {
    const bob = await register(server, uniqueName('bob'));
    const carol = await register(server, uniqueName('carol'));
    const room = await roomWith('public', bob, carol);
    const named = await postMessage(alice, room.id, `hey @${bob.username.toUpperCase()}, look`);
    await postMessage(alice, room.id, `not in code: \`@${bob.username}\` nor ${bob.username}@example.org`);
    await postMessage(alice, room.id, `\`\`\`\n@${bob.username}\n\`\`\``);

    const found = await inbox(bob);
    expect(ids(found)).toEqual([named.messageId]);
    expect(found.items[0]).toEqual({
      message: expect.objectContaining({ id: named.messageId, roomId: room.id, seq: named.seq }),
      room: { id: room.id, slug: room.slug, name: room.name, kind: 'public' },
      reason: 'mention',
      unread: true,
      permalink: `/r/${room.slug}/m/${named.messageId}`,
    });
    expect(found).toMatchObject({ hasMore: false, unreadCount: 1 });
    expect(found.nextCursor).toBeUndefined();
    expect((await inbox(carol)).items).toEqual([]);
    // Naming oneself is no news.
    await postMessage(bob, room.id, `note to self @${bob.username}`);
    expect(ids(await inbox(bob))).toEqual([named.messageId]);
  });

  it('lists @room and @here for every member but the author, in their rooms only', async () => {
    const bob = await register(server, uniqueName('bob'));
    const outsider = await register(server, uniqueName('out'));
    const room = await roomWith('public', bob);
    const everyone = await postMessage(alice, room.id, 'meeting now @here');
    const both = await postMessage(alice, room.id, `@room and especially @${bob.username}`);

    const found = await inbox(bob);
    expect(ids(found)).toEqual([both.messageId, everyone.messageId]);
    // A message that names the reader and everyone is listed once, for the stronger reason.
    expect(found.items.map((item) => item.reason)).toEqual(['mention', 'room']);
    expect(found.unreadCount).toBe(2);
    expect((await inbox(alice)).items.map((item) => item.message.id)).not.toContain(everyone.messageId);
    expect((await inbox(outsider)).items).toEqual([]);
  });

  it('lists a message once an edit names the reader; a mention edited away stays listed', async () => {
    const bob = await register(server, uniqueName('bob'));
    const room = await roomWith('public', bob);
    const message = await postMessage(alice, room.id, 'who can review this?');
    expect((await inbox(bob)).items).toEqual([]);
    const edit = async (text: string) => {
      const response = await alice.api.patch(`/messages/${message.messageId}`, { text });
      expect(response.status, response.text).toBe(200);
    };
    await edit(`who can review this? @${bob.username}`);
    const found = await inbox(bob);
    expect(ids(found)).toEqual([message.messageId]);
    expect(found.items[0]?.message.text).toBe(`who can review this? @${bob.username}`);
    await edit('never mind');
    expect(ids(await inbox(bob))).toEqual([message.messageId]);
  });

  it('lists replies to my message and replies in a thread I started or replied in', async () => {
    const bob = await register(server, uniqueName('bob'));
    const carol = await register(server, uniqueName('carol'));
    const room = await roomWith('public', bob, carol);
    const root = await postMessage(bob, room.id, 'a question for the room');
    const answer = await reply(carol, room.id, root.messageId, 'an answer');
    const followUp = await reply(alice, room.id, answer, 'and a follow-up to carol');

    expect((await inbox(bob)).items.map((item) => [item.message.id, item.reason])).toEqual([
      [followUp, 'thread'],
      [answer, 'reply'],
    ]);
    expect((await inbox(carol)).items.map((item) => [item.message.id, item.reason])).toEqual([
      [followUp, 'reply'],
    ]);
    expect(ids(await inbox(alice))).not.toContain(answer);
  });

  it('never lists a room the reader left or cannot read, and drops deleted messages', async () => {
    const bob = await register(server, uniqueName('bob'));
    const secret = await roomWith('private', bob);
    const inSecret = await postMessage(alice, secret.id, `@${bob.username} the plan`);
    const shouted = await postMessage(alice, secret.id, '@room the plan');
    expect(ids(await inbox(bob))).toEqual([shouted.messageId, inSecret.messageId]);

    expect((await bob.api.post(`/rooms/${secret.id}/leave`)).status).toBe(204);
    expect(await inbox(bob)).toMatchObject({ items: [], unreadCount: 0, hasMore: false });

    // Named in a private room they are not in: nothing, before or after.
    const other = await roomWith('private');
    await postMessage(alice, other.id, `@${bob.username} you cannot see this`);
    expect((await inbox(bob)).items).toEqual([]);

    const open = await roomWith('public', bob);
    const gone = await postMessage(alice, open.id, `@${bob.username} oops`);
    expect(ids(await inbox(bob))).toEqual([gone.messageId]);
    expect((await alice.api.delete(`/messages/${gone.messageId}`)).status).toBe(204);
    expect(await inbox(bob)).toMatchObject({ items: [], unreadCount: 0 });
  });

  it('marks entries read once the reader acks their room', async () => {
    const bob = await register(server, uniqueName('bob'));
    const one = await roomWith('public', bob);
    const two = await roomWith('public', bob);
    const first = await postMessage(alice, one.id, `@${bob.username} one`);
    const second = await postMessage(alice, two.id, `@${bob.username} two`);
    expect((await inbox(bob)).unreadCount).toBe(2);

    const socket = await sockets.connect(bob);
    socket.send({ type: 'ack', roomId: one.id, seq: first.seq });
    const deadline = Date.now() + 10_000;
    let found = await inbox(bob);
    while (found.unreadCount !== 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = await inbox(bob);
    }
    expect(found.unreadCount).toBe(1);
    expect(found.items.map((item) => [item.message.id, item.unread])).toEqual([
      [second.messageId, true],
      [first.messageId, false],
    ]);
  });

  it('pages newest first with nextCursor, each entry once', async () => {
    const bob = await register(server, uniqueName('bob'));
    const room = await roomWith('public', bob);
    const posted: string[] = [];
    for (let i = 0; i < 5; i++) {
      const text = i % 2 === 0 ? `@${bob.username} number ${i}` : `@here number ${i}`;
      posted.push((await postMessage(alice, room.id, text)).messageId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 3; page++) {
      const found = await inbox(bob, `?limit=2${cursor ? `&before=${cursor}` : ''}`);
      seen.push(...ids(found));
      expect(found.hasMore).toBe(page < 2);
      cursor = found.nextCursor;
      if (page < 2) expect(cursor).toBe(found.items[1]?.message.id);
    }
    expect(seen).toEqual([...posted].reverse());
    expect(cursor).toBeUndefined();
  });

  it('refuses bad input with 400 and strangers with 401', async () => {
    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?before=not-a-cursor']) {
      const response = await alice.api.get(`/mentions${query}`);
      expect(response.status, query).toBe(400);
      expect(errorOf(response).code).toBe('validation_failed');
    }
    expect((await request(server, '/mentions')).status).toBe(401);
  });
});
