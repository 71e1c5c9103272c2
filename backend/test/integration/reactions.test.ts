/** Emoji reactions: room-log events, idempotence, counts and who, access, validation. */
import type { Message, Reaction, RoomEvent } from '@parley/protocol';
import { REACTION_LIMITS } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  connectSocket,
  createRoom,
  errorOf,
  fieldPaths,
  isEvent,
  messagesPage,
  postMessage,
  register,
  uniqueName,
} from '../support/client.js';
import { eventsAfter, joinRoom, messageAt } from '../support/rooms.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let ada: Account;
let bo: Account;
let stranger: Account;
let roomId: string;

beforeAll(async () => {
  server = await startServer();
  ada = await register(server, uniqueName('ada'));
  bo = await register(server, uniqueName('bo'));
  stranger = await register(server, uniqueName('stranger'));
  roomId = (await createRoom(ada, { name: uniqueName('reactions'), visibility: 'private' })).id;
  const added = await ada.api.post(`/rooms/${roomId}/members`, { username: bo.username });
  expect(added.status, added.text).toBe(201);
});
afterAll(() => server?.dispose());

const path = (messageId: string, emoji: string) =>
  `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;
const react = (account: Account, messageId: string, emoji: string) =>
  account.api.put<{ reactions: Reaction[] }>(path(messageId, emoji));
const unreact = (account: Account, messageId: string, emoji: string) =>
  account.api.delete(path(messageId, emoji));

async function lastSeq(account: Account): Promise<number> {
  return (await eventsAfter(account, roomId, 0)).at(-1)?.seq ?? 0;
}

describe('reactions', () => {
  it('adds a reaction once: a second add answers the same reactions and appends nothing', async () => {
    const { messageId } = await postMessage(ada, roomId, 'react to me');
    const before = await lastSeq(ada);

    const first = await react(bo, messageId, '👍');
    expect(first.status, first.text).toBe(200);
    const bosThumb = {
      emoji: '👍',
      count: 1,
      users: [{ id: bo.user.id, username: bo.user.username, displayName: bo.user.displayName }],
    };
    expect(first.body.reactions).toEqual([bosThumb]);

    const again = await react(bo, messageId, '👍');
    expect(again.status, again.text).toBe(200);
    expect(again.body.reactions).toEqual([bosThumb]);

    const events = await eventsAfter(ada, roomId, before);
    expect(events.map((event) => event.type)).toEqual(['reaction.added']);
    expect(events[0]).toMatchObject({
      actor: { id: bo.user.id },
      data: { messageId, emoji: '👍', user: { id: bo.user.id, username: bo.user.username } },
    });
  });

  it('counts each emoji with who reacted, in first-reacted order, and removes idempotently', async () => {
    const { messageId, seq } = await postMessage(ada, roomId, 'count us');
    expect((await react(ada, messageId, '🎉')).status).toBe(200);
    expect((await react(bo, messageId, '❤️')).status).toBe(200);
    const both = await react(bo, messageId, '🎉');
    expect(both.body.reactions.map((r) => [r.emoji, r.count, r.users.map((u) => u.id)])).toEqual([
      ['🎉', 2, [ada.user.id, bo.user.id]],
      ['❤️', 1, [bo.user.id]],
    ]);

    const before = await lastSeq(ada);
    const removed = await unreact(bo, messageId, '🎉');
    expect(removed.status, removed.text).toBe(204);
    const twice = await unreact(bo, messageId, '🎉');
    expect(twice.status, twice.text).toBe(204);
    // Never there at all: also 204, and nothing appended.
    expect((await unreact(ada, messageId, '🙏')).status).toBe(204);
    const events = await eventsAfter(ada, roomId, before);
    expect(events.map((event) => [event.type, (event.data as { emoji: string }).emoji])).toEqual([
      ['reaction.removed', '🎉'],
    ]);

    const message = await messageAt(bo, roomId, seq);
    expect(message?.reactions?.map((r) => [r.emoji, r.count])).toEqual([
      ['🎉', 1],
      ['❤️', 1],
    ]);
  });

  it('shows reactions in history pages and leaves them out of messages without any', async () => {
    const plain = await postMessage(ada, roomId, 'nobody reacts');
    const liked = await postMessage(ada, roomId, 'liked');
    await react(bo, liked.messageId, '😂');
    const page = await messagesPage(ada, roomId, `?after=${plain.seq - 1}&limit=10`);
    const byId = new Map(page.messages.map((message) => [message.id, message]));
    expect(byId.get(plain.messageId)?.reactions).toBeUndefined();
    expect(byId.get(liked.messageId)?.reactions).toEqual([
      { emoji: '😂', count: 1, users: [expect.objectContaining({ id: bo.user.id })] },
    ]);
    // The newest page (no cursor) too.
    const newest = await messagesPage(bo, roomId);
    expect(newest.messages.find((m) => m.id === liked.messageId)?.reactions?.[0]?.emoji).toBe('😂');
  });

  it('shows reactions on a thread’s root and replies in the thread endpoint', async () => {
    const root = await postMessage(ada, roomId, 'a thread to react in');
    const reply = await postMessage(bo, roomId, 'a reply to react to', { replyTo: root.messageId });
    await react(ada, reply.messageId, '🎉');
    await react(bo, root.messageId, '👀');
    const thread = await ada.api.get<{ root: Message; replies: Message[] }>(
      `/messages/${root.messageId}/thread`,
    );
    expect(thread.status, thread.text).toBe(200);
    expect(thread.body.root.reactions?.map((r) => r.emoji)).toEqual(['👀']);
    expect(thread.body.replies.find((m) => m.id === reply.messageId)?.reactions?.map((r) => r.emoji)).toEqual(
      ['🎉'],
    );
  });

  it('keeps reactions on an edited message', async () => {
    const { messageId } = await postMessage(ada, roomId, 'typo');
    await react(bo, messageId, '😮');
    const edited = await ada.api.patch<{ message: Message }>(`/messages/${messageId}`, { text: 'fixed' });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.message.reactions?.map((r) => r.emoji)).toEqual(['😮']);
    const events = await eventsAfter(ada, roomId, (await lastSeq(ada)) - 1);
    const event = events[0] as Extract<RoomEvent, { type: 'message.edited' }>;
    expect(event.type).toBe('message.edited');
    expect(event.data.message.reactions?.map((r) => r.emoji)).toEqual(['😮']);
  });

  it('sends reaction events live on the socket and through catch-up, in the room log order', async () => {
    const { messageId } = await postMessage(ada, roomId, 'live');
    const socket = await connectSocket(server, ada.token);
    const before = await lastSeq(ada);
    await react(bo, messageId, '👍');
    await unreact(bo, messageId, '👍');
    const added = await socket.next(isEvent(roomId, 'reaction.added'));
    const removed = await socket.next(isEvent(roomId, 'reaction.removed'));
    await socket.close();
    if (added.type !== 'event' || removed.type !== 'event') throw new Error('not events');
    expect(added.event).toMatchObject({
      seq: before + 1,
      data: { messageId, emoji: '👍', user: { id: bo.user.id } },
    });
    expect(removed.event).toMatchObject({ seq: before + 2, data: { messageId, emoji: '👍' } });
    const caughtUp = await eventsAfter(ada, roomId, before);
    expect(caughtUp).toEqual([added.event, removed.event]);
  });

  it('hides a private room’s messages from non-members: 404 for add and remove', async () => {
    const { messageId } = await postMessage(ada, roomId, 'members only');
    const add = await react(stranger, messageId, '👍');
    expect(add.status, add.text).toBe(404);
    expect(errorOf(add).code).toBe('not_found');
    const remove = await unreact(stranger, messageId, '👍');
    expect(remove.status, remove.text).toBe(404);
    // The same answer as for a message that does not exist at all.
    const unknown = await react(stranger, '01890000-0000-7000-8000-000000000000', '👍');
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).message).toBe(errorOf(add).message);
  });

  it('asks a public room’s non-member to join first (403) and lets them react once joined', async () => {
    const open = await createRoom(ada, { name: uniqueName('open'), visibility: 'public' });
    const { messageId } = await postMessage(ada, open.id, 'public');
    expect((await react(stranger, messageId, '👍')).status).toBe(403);
    await joinRoom(stranger, open.id);
    expect((await react(stranger, messageId, '👍')).status).toBe(200);
  });

  it('refuses anything but exactly one emoji with 400 naming the emoji', async () => {
    const { messageId } = await postMessage(ada, roomId, 'validate');
    for (const bad of ['x', ':thumbsup:', '👍👍', '👍 ', 'ok👍', '1', '❤']) {
      const response = await react(bo, messageId, bad);
      expect(response.status, `${bad}: ${response.text}`).toBe(400);
      expect(fieldPaths(response)).toEqual(['emoji']);
      expect(errorOf(response).message).toMatch(/one emoji/);
    }
    // Sequences that are one emoji: skin tone, ZWJ family, flag, keycap.
    for (const good of ['👍🏽', '👩‍👩‍👧', '🇫🇷', '1️⃣']) {
      const response = await react(bo, messageId, good);
      expect(response.status, `${good}: ${response.text}`).toBe(200);
    }
    // A malformed percent-encoding is a 400 too, not a crash.
    const malformed = await bo.api.put(`/messages/${messageId}/reactions/%F0%9F`);
    expect(malformed.status).toBe(400);
  });

  it('refuses reactions on a deleted message (409) and drops the ones it had', async () => {
    const { messageId, seq } = await postMessage(ada, roomId, 'doomed');
    await react(bo, messageId, '👍');
    // The edit's event carries the reactions; deleting redacts them from the log with the text.
    expect((await ada.api.patch(`/messages/${messageId}`, { text: 'doomed!' })).status).toBe(200);
    expect((await ada.api.delete(`/messages/${messageId}`)).status).toBe(204);
    const carried = (await eventsAfter(ada, roomId, seq - 1)).flatMap((event) =>
      event.type === 'message.edited' && event.data.message.id === messageId ? [event.data.message] : [],
    );
    expect(carried).toHaveLength(1);
    expect(carried[0]).toMatchObject({ deleted: true, text: '' });
    expect(carried[0]?.reactions).toBeUndefined();
    const add = await react(bo, messageId, '🎉');
    expect(add.status, add.text).toBe(409);
    expect(errorOf(add).code).toBe('conflict');
    expect((await unreact(bo, messageId, '👍')).status).toBe(409);
    expect((await messageAt(ada, roomId, seq))?.reactions).toBeUndefined();
  });

  it(`caps a message at ${REACTION_LIMITS.distinctPerMessage} distinct emoji (409), while existing ones stay open`, async () => {
    const { messageId } = await postMessage(ada, roomId, 'so many');
    const emoji = [...'😀😁😂😃😄😅😆😇😈😉😊😋😌😍😎😏😐😑😒😓😔😕😖😗😘😙😚😛😜😝😞😟😠😡😢😣😤😥😦😧😨😩'];
    expect(emoji.length).toBeGreaterThan(REACTION_LIMITS.distinctPerMessage);
    for (const one of emoji.slice(0, REACTION_LIMITS.distinctPerMessage)) {
      expect((await react(ada, messageId, one)).status).toBe(200);
    }
    const before = await lastSeq(ada);
    const over = await react(ada, messageId, emoji[REACTION_LIMITS.distinctPerMessage] as string);
    expect(over.status, over.text).toBe(409);
    expect(errorOf(over).message).toMatch(/at most 40 different emoji/);
    expect(await lastSeq(ada)).toBe(before);
    // Joining an emoji already there is still fine.
    const join = await react(bo, messageId, '😀');
    expect(join.status).toBe(200);
    expect(join.body.reactions).toHaveLength(REACTION_LIMITS.distinctPerMessage);
  });

  it('needs a session', async () => {
    const { messageId } = await postMessage(ada, roomId, 'anon');
    const response = await fetch(new URL(path(messageId, '👍'), server.httpUrl), { method: 'PUT' });
    expect(response.status).toBe(401);
  });
});
