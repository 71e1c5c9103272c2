/**
 * Replies and threads: a reply joins its root's thread, the root carries the thread's summary in
 * history pages, GET /messages/:id/thread pages the replies, and nobody learns about a room
 * they cannot read.
 */
import type { Message, Room, ServerFrame, ThreadPage } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  errorOf,
  fieldPaths,
  isEvent,
  messagesPage,
  postMessage,
  register,
  SocketPool,
  uniqueName,
  waitForCompletion,
} from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let alice: Account;
let bob: Account;
let carol: Account;
let room: Room;
const sockets = new SocketPool(() => server);

beforeAll(async () => {
  server = await startServer();
  await register(server, uniqueName('admin'));
  alice = await register(server, uniqueName('alice'));
  bob = await register(server, uniqueName('bob'));
  carol = await register(server, uniqueName('carol'));
  room = await createRoom(alice, { name: uniqueName('threads'), visibility: 'private' });
  expect((await alice.api.post(`/rooms/${room.id}/members`, { username: bob.user.username })).status).toBe(
    201,
  );
});
afterAll(async () => {
  await sockets.closeAll();
  await server?.dispose();
});

/** Sends a reply as a job (202 expected) and waits until it is a message. */
async function reply(account: Account, replyTo: string, text: string, alsoToRoom?: boolean) {
  const body = {
    type: 'message',
    roomId: room.id,
    text,
    replyTo,
    ...(alsoToRoom === undefined ? {} : { alsoToRoom }),
  };
  const response = await account.api.post<{ job: { id: string } }>('/jobs', body);
  expect(response.status, response.text).toBe(202);
  const done = await waitForCompletion(account, response.body.job.id);
  return done.result;
}

async function thread(account: Account, messageId: string, query = '') {
  return account.api.get<ThreadPage>(`/messages/${messageId}/thread${query}`);
}

async function pageMessage(messageId: string): Promise<Message | undefined> {
  const { messages } = await messagesPage(alice, room.id, '?limit=200');
  return messages.find((message) => message.id === messageId);
}

describe('replies', () => {
  it('counts replies on the root in history pages, with the latest repliers first', async () => {
    const root = await postMessage(alice, room.id, 'what shall we have for lunch?');
    const first = await reply(bob, root.messageId, 'pizza');
    await reply(alice, root.messageId, 'again?');
    const last = await reply(bob, root.messageId, 'always');

    const seen = await pageMessage(root.messageId);
    expect(seen?.thread).toMatchObject({
      replyCount: 3,
      lastRepliers: [{ id: bob.user.id }, { id: alice.user.id }],
    });
    expect(seen?.thread?.lastRepliers).toHaveLength(2);
    const replyMessage = await pageMessage(first.messageId);
    expect(replyMessage).toMatchObject({ replyTo: root.messageId, threadId: root.messageId });
    expect(replyMessage?.alsoToRoom).toBeUndefined();
    const lastMessage = await pageMessage(last.messageId);
    expect(seen?.thread?.lastReplyAt).toBe(lastMessage?.createdAt);
  });

  it('counts every one of many replies sent at once (one group-commit batch or several)', async () => {
    const root = await postMessage(alice, room.id, 'everyone, say hi');
    const many = 24;
    const replies = await Promise.all(
      Array.from({ length: many }, (_, index) =>
        reply(index % 2 ? alice : bob, root.messageId, `hi ${index}`),
      ),
    );
    const seen = await pageMessage(root.messageId);
    expect(seen?.thread?.replyCount).toBe(many);
    const newest = Math.max(...replies.map((done) => done.seq));
    const response = await thread(alice, root.messageId, '?limit=200');
    expect(response.body.replies).toHaveLength(many);
    expect(response.body.replies.at(-1)?.seq).toBe(newest);
    expect(seen?.thread?.lastReplyAt).toBe(response.body.replies.at(-1)?.createdAt);
  });

  it('joins a reply to a reply to the root’s thread', async () => {
    const root = await postMessage(alice, room.id, 'root of a chain');
    const first = await reply(bob, root.messageId, 'first answer');
    const nested = await reply(alice, first.messageId, 'answer to the answer');

    const nestedMessage = await pageMessage(nested.messageId);
    expect(nestedMessage).toMatchObject({ replyTo: first.messageId, threadId: root.messageId });
    expect((await pageMessage(root.messageId))?.thread?.replyCount).toBe(2);
    expect((await pageMessage(first.messageId))?.thread).toBeUndefined();

    // Asked of a reply, the thread is its root's.
    const response = await thread(bob, first.messageId);
    expect(response.status, response.text).toBe(200);
    expect(response.body.root.id).toBe(root.messageId);
    expect(response.body.replies.map((message) => message.id)).toEqual([first.messageId, nested.messageId]);
  });

  it('marks a reply also sent to the room', async () => {
    const root = await postMessage(alice, room.id, 'announce this');
    const quoted = await reply(bob, root.messageId, 'announced', true);
    expect(await pageMessage(quoted.messageId)).toMatchObject({ alsoToRoom: true, threadId: root.messageId });
  });

  it('takes a reply to a deleted message into its thread', async () => {
    const root = await postMessage(alice, room.id, 'soon gone');
    expect((await alice.api.delete(`/messages/${root.messageId}`)).status).toBe(204);
    const late = await reply(bob, root.messageId, 'too late');

    const response = await thread(bob, root.messageId);
    expect(response.status, response.text).toBe(200);
    expect(response.body.root).toMatchObject({ id: root.messageId, deleted: true, text: '' });
    expect(response.body.root.thread?.replyCount).toBe(1);
    expect(response.body.replies.map((message) => message.id)).toEqual([late.messageId]);
  });

  it('refuses a replyTo of another room’s message with path replyTo, and alsoToRoom without replyTo', async () => {
    const elsewhere = await createRoom(bob, { name: uniqueName('elsewhere'), visibility: 'public' });
    const other = await postMessage(bob, elsewhere.id, 'in another room');
    const response = await bob.api.post('/jobs', {
      type: 'message',
      roomId: room.id,
      text: 'cross-room',
      replyTo: other.messageId,
    });
    expect(response.status).toBe(400);
    expect(fieldPaths(response)).toEqual(['replyTo']);

    const lonely = await bob.api.post('/jobs', {
      type: 'message',
      roomId: room.id,
      text: 'x',
      alsoToRoom: true,
    });
    expect(lonely.status).toBe(400);
    expect(fieldPaths(lonely)).toEqual(['alsoToRoom']);

    const wrongType = await bob.api.post('/jobs', {
      type: 'message',
      roomId: room.id,
      text: 'x',
      replyTo: other.messageId,
      alsoToRoom: 'yes',
    });
    expect(wrongType.status).toBe(400);
    expect(fieldPaths(wrongType)).toEqual(['alsoToRoom']);
  });

  it('sends a reply over the socket, and the event carries its thread', async () => {
    const root = await postMessage(alice, room.id, 'socket root');
    const socket = await sockets.connect(bob);
    socket.send({
      type: 'send',
      ref: 'r1',
      roomId: room.id,
      text: 'over ws',
      replyTo: root.messageId,
      alsoToRoom: true,
    });
    const frame = await socket.next<Extract<ServerFrame, { type: 'event' }>>(
      isEvent(room.id, 'message.created', (f) => f.type === 'event' && f.event.actor.id === bob.user.id),
    );
    expect(frame.event.data).toMatchObject({
      message: { replyTo: root.messageId, threadId: root.messageId, alsoToRoom: true },
    });
  });
});

describe('GET /messages/:id/thread', () => {
  it('pages the replies ascending by seq with after and limit', async () => {
    const root = await postMessage(alice, room.id, 'a long thread');
    const seqs: number[] = [];
    for (let i = 0; i < 5; i += 1)
      seqs.push((await reply(i % 2 ? alice : bob, root.messageId, `reply ${i}`)).seq);
    await postMessage(alice, room.id, 'not in the thread');

    const first = await thread(alice, root.messageId, '?limit=2');
    expect(first.status, first.text).toBe(200);
    expect(first.body.root).toMatchObject({ id: root.messageId, thread: { replyCount: 5 } });
    expect(first.body.replies.map((message) => message.seq)).toEqual(seqs.slice(0, 2));
    expect(first.body.hasMore).toBe(true);

    const rest = await thread(alice, root.messageId, `?after=${seqs[1]}&limit=10`);
    expect(rest.body.replies.map((message) => message.text)).toEqual(['reply 2', 'reply 3', 'reply 4']);
    expect(rest.body.hasMore).toBe(false);

    const none = await thread(alice, (await postMessage(alice, room.id, 'lonely')).messageId);
    expect(none.body).toMatchObject({ replies: [], hasMore: false });
    expect(none.body.root.thread).toBeUndefined();
  });

  it('is not found for a non-member of a private room, and for an unknown message', async () => {
    const root = await postMessage(alice, room.id, 'private thoughts');
    await reply(bob, root.messageId, 'private answer');
    const response = await thread(carol, root.messageId);
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe('not_found');
    expect((await thread(carol, 'no-such-message')).status).toBe(404);
  });

  it('is forbidden, as history is, to someone who has not joined a public room', async () => {
    const open = await createRoom(alice, { name: uniqueName('open'), visibility: 'public' });
    const root = await postMessage(alice, open.id, 'public thoughts');
    const response = await thread(carol, root.messageId);
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe('forbidden');
  });

  it('refuses a bad after or limit with their paths', async () => {
    const root = await postMessage(alice, room.id, 'bad queries');
    const response = await thread(alice, root.messageId, '?after=-1&limit=0');
    expect(response.status).toBe(400);
    expect(fieldPaths(response).sort()).toEqual(['after', 'limit']);
  });
});
