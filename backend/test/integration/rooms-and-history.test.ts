import type { Message, Room, RoomEvent } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  errorOf,
  fieldPaths,
  generalRoom,
  getRoom,
  listRooms,
  messagesPage,
  postMessage,
  register,
  request,
  submitMessage,
  uniqueName,
  waitForCompletion,
} from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let alice: Account;
let bob: Account;

beforeAll(async () => {
  server = await startServer();
  await register(server, uniqueName('admin')); // the instance admin; alice and bob are plain members
  alice = await register(server, uniqueName('alice'));
  bob = await register(server, uniqueName('bob'));
});
afterAll(() => server?.dispose());

async function events(account: Account, roomId: string, query: string) {
  const response = await account.api.get<{ events: RoomEvent[]; hasMore: boolean }>(
    `/rooms/${roomId}/events${query}`,
  );
  expect(response.status, response.text).toBe(200);
  return response.body;
}

describe('the general room', () => {
  it('has every new account as a member', async () => {
    const rooms = await listRooms(alice);
    const general = rooms.find((room) => room.slug === 'general');
    expect(general).toMatchObject({
      id: expect.any(String),
      slug: 'general',
      name: expect.any(String),
      topic: expect.any(String),
      visibility: 'public',
      lastSeq: expect.any(Number),
      membership: 'member',
    });

    const newcomer = await register(server);
    const seen = await generalRoom(newcomer);
    expect(seen.id).toBe(general?.id);
    expect(seen.membership).toBe('member');
  });

  it('answers GET /rooms/:id with the room, its lastSeq and the caller’s membership', async () => {
    const general = await generalRoom(alice);
    const { seq } = await postMessage(alice, general.id, 'hello everyone');
    const room = await getRoom(bob, general.id);
    expect(room).toMatchObject({
      id: general.id,
      slug: 'general',
      visibility: 'public',
      membership: 'member',
    });
    expect(room.lastSeq).toBe(seq);
    expect(seq).toBeGreaterThan(general.lastSeq);
  });
});

describe('reading history', () => {
  const total = 60;
  let room: Room;
  let sent: { text: string; messageId: string; seq: number }[];

  beforeAll(async () => {
    room = await createRoom(alice, { name: `History ${uniqueName('h')}`, visibility: 'public' });
    // Submit all, then wait for all: like a user typing fast.
    const jobs = [];
    for (let i = 1; i <= total; i++) jobs.push(await submitMessage(alice, room.id, `history message ${i}`));
    sent = [];
    for (const [i, job] of jobs.entries()) {
      const done = await waitForCompletion(alice, job.id);
      sent.push({ text: `history message ${i + 1}`, messageId: done.result.messageId, seq: done.result.seq });
    }
  });

  it('keeps messages in submission order with increasing seqs', () => {
    for (let i = 1; i < sent.length; i++) {
      expect(sent[i]?.seq).toBeGreaterThan(sent[i - 1]?.seq ?? Number.POSITIVE_INFINITY);
    }
  });

  it('returns the newest 50 messages first, in ascending seq, with hasMore', async () => {
    const page = await messagesPage(alice, room.id);
    expect(page.messages).toHaveLength(50);
    expect(page.hasMore).toBe(true);
    expect(page.messages.map((m) => m.text)).toEqual(sent.slice(-50).map((s) => s.text));
    const message = page.messages.at(-1) as Message;
    expect(message).toMatchObject({
      id: sent.at(-1)?.messageId,
      roomId: room.id,
      seq: sent.at(-1)?.seq,
      author: { id: alice.user.id, username: alice.user.username, displayName: alice.user.displayName },
      text: `history message ${total}`,
      createdAt: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(message.createdAt))).toBe(false);
  });

  it('refuses history of a public room to a non-member with 403, and shows it once joined', async () => {
    for (const path of [`/rooms/${room.id}/messages`, `/rooms/${room.id}/events`]) {
      const response = await bob.api.get(path);
      expect(response.status, path).toBe(403);
      expect(errorOf(response).code).toBe('forbidden');
    }
    const joined = await bob.api.post<{ room: Room }>(`/rooms/${room.id}/join`);
    expect(joined.status).toBe(200);
    expect(joined.body.room).toMatchObject({ id: room.id, membership: 'member' });
    expect((await messagesPage(bob, room.id)).messages).toHaveLength(50);
  });

  it('pages backwards with before= until hasMore is false, each page ascending', async () => {
    const seen: Message[][] = [];
    let query = '?limit=25';
    for (;;) {
      const page = await messagesPage(alice, room.id, query);
      const seqs = page.messages.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      seen.unshift(page.messages);
      if (!page.hasMore) break;
      expect(seen.length).toBeLessThan(10);
      query = `?limit=25&before=${page.messages[0]?.seq}`;
    }
    expect(seen.map((page) => page.length)).toEqual([10, 25, 25]);
    expect(seen.flat().map((m) => m.id)).toEqual(sent.map((s) => s.messageId));
  });

  it('pages forwards with after=', async () => {
    const third = sent[2];
    const page = await messagesPage(alice, room.id, `?after=${third?.seq}&limit=5`);
    expect(page.messages.map((m) => m.text)).toEqual(sent.slice(3, 8).map((s) => s.text));
    expect(page.hasMore).toBe(true);
    const last = await messagesPage(alice, room.id, `?after=${sent.at(-3)?.seq}&limit=5`);
    expect(last.messages.map((m) => m.text)).toEqual(sent.slice(-2).map((s) => s.text));
    expect(last.hasMore).toBe(false);
  });

  it('returns everything with limit=200', async () => {
    const page = await messagesPage(alice, room.id, '?limit=200');
    expect(page.messages.map((m) => m.id)).toEqual(sent.map((s) => s.messageId));
    expect(page.hasMore).toBe(false);
  });

  it.each([
    ['0', 'limit'],
    ['201', 'limit'],
    ['abc', 'limit'],
    ['-5', 'limit'],
  ])('refuses limit=%s with 400 validation_failed naming %s', async (value, path) => {
    const response = await alice.api.get(`/rooms/${room.id}/messages?limit=${value}`);
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('validation_failed');
    expect(fieldPaths(response)).toContain(path);
    const eventsResponse = await alice.api.get(`/rooms/${room.id}/events?limit=${value}`);
    expect(eventsResponse.status).toBe(400);
    expect(fieldPaths(eventsResponse)).toContain(path);
  });

  it('refuses a before= that is not a number with 400 naming before', async () => {
    const response = await alice.api.get(`/rooms/${room.id}/messages?before=yesterday`);
    expect(response.status).toBe(400);
    expect(fieldPaths(response)).toContain('before');
  });

  it('replays the room log with /events: ascending, gapless, from seq 1', async () => {
    const all: RoomEvent[] = [];
    let after = 0;
    for (;;) {
      const page = await events(alice, room.id, `?after=${after}&limit=20`);
      all.push(...page.events);
      if (!page.hasMore) break;
      expect(page.events).toHaveLength(20);
      after = page.events.at(-1)?.seq ?? Number.NaN;
      expect(all.length).toBeLessThan(500);
    }
    const current = await getRoom(alice, room.id);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: current.lastSeq }, (_, i) => i + 1));
    for (const event of all) {
      expect(event).toMatchObject({ roomId: room.id, type: expect.any(String), at: expect.any(String) });
      expect(event.actor).toMatchObject({ id: expect.any(String), username: expect.any(String) });
    }
    const created = all.filter((e) => e.type === 'message.created');
    expect(created.map((e) => e.seq)).toEqual(sent.map((s) => s.seq));
    expect(created.map((e) => (e.type === 'message.created' ? e.data.message.text : ''))).toEqual(
      sent.map((s) => s.text),
    );
  });

  it('starts /events right after the given seq', async () => {
    const from = sent[9]?.seq ?? 0;
    const page = await events(alice, room.id, `?after=${from}&limit=5`);
    expect(page.events.map((e) => e.seq)).toEqual([from + 1, from + 2, from + 3, from + 4, from + 5]);
    expect(page.hasMore).toBe(true);
    const current = await getRoom(alice, room.id);
    const end = await events(alice, room.id, `?after=${current.lastSeq}`);
    expect(end).toEqual({ events: [], hasMore: false });
  });
});

describe('editing and deleting messages', () => {
  it('lets the author edit: 200 with the new text and a message.edited event', async () => {
    const general = await generalRoom(alice);
    const { messageId, seq } = await postMessage(alice, general.id, 'teh typo');
    const response = await alice.api.patch<{ message: Message }>(`/messages/${messageId}`, {
      text: 'the typo',
    });
    expect(response.status).toBe(200);
    expect(response.body.message).toMatchObject({
      id: messageId,
      seq,
      text: 'the typo',
      editedAt: expect.any(String),
    });

    const log = await events(bob, general.id, `?after=${seq}`);
    const edited = log.events.find((e) => e.type === 'message.edited');
    expect(edited).toMatchObject({
      roomId: general.id,
      seq: seq + 1,
      actor: { id: alice.user.id },
      data: { message: { id: messageId, text: 'the typo' } },
    });
    const page = await messagesPage(bob, general.id, `?after=${seq - 1}&limit=1`);
    expect(page.messages[0]).toMatchObject({ id: messageId, text: 'the typo' });
  });

  it('refuses an edit by another member with 403 forbidden and leaves the message alone', async () => {
    const general = await generalRoom(alice);
    const { messageId, seq } = await postMessage(alice, general.id, 'mine, not yours');
    const response = await bob.api.patch(`/messages/${messageId}`, { text: 'hijacked' });
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe('forbidden');
    const page = await messagesPage(alice, general.id, `?after=${seq - 1}&limit=1`);
    expect(page.messages[0]?.text).toBe('mine, not yours');
    expect((await getRoom(alice, general.id)).lastSeq).toBe(seq);
  });

  it('refuses an empty edit with 400 naming text', async () => {
    const general = await generalRoom(alice);
    const { messageId } = await postMessage(alice, general.id, 'to be emptied');
    const response = await alice.api.patch(`/messages/${messageId}`, { text: '   ' });
    expect(response.status).toBe(400);
    expect(fieldPaths(response)).toContain('text');
  });

  it('refuses a delete by another member with 403', async () => {
    const general = await generalRoom(alice);
    const { messageId } = await postMessage(alice, general.id, 'do not delete me');
    const response = await bob.api.delete(`/messages/${messageId}`);
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe('forbidden');
  });

  it('lets the author delete: 204 and a message.deleted event', async () => {
    const general = await generalRoom(alice);
    const { messageId, seq } = await postMessage(alice, general.id, 'regrettable');
    const response = await alice.api.delete(`/messages/${messageId}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    const log = await events(bob, general.id, `?after=${seq}`);
    expect(log.events[0]).toMatchObject({
      seq: seq + 1,
      type: 'message.deleted',
      actor: { id: alice.user.id },
      data: { messageId },
    });
  });

  it('answers 404 for editing or deleting a message that does not exist', async () => {
    const edit = await alice.api.patch('/messages/no-such-message', { text: 'x' });
    expect(edit.status).toBe(404);
    expect(errorOf(edit).code).toBe('not_found');
    const remove = await alice.api.delete('/messages/no-such-message');
    expect(remove.status).toBe(404);
  });
});

describe('refusals', () => {
  it.each(['/rooms/no-such-room', '/rooms/no-such-room/messages', '/rooms/no-such-room/events'])(
    'answers GET %s with 404 not_found',
    async (path) => {
      const response = await alice.api.get(path);
      expect(response.status).toBe(404);
      expect(errorOf(response).code).toBe('not_found');
    },
  );

  it('answers requests without credentials with 401 unauthenticated', async () => {
    const general = await generalRoom(alice);
    for (const path of [
      '/rooms',
      `/rooms/${general.id}`,
      `/rooms/${general.id}/messages`,
      `/rooms/${general.id}/events`,
    ]) {
      const response = await request(server, path);
      expect(response.status, path).toBe(401);
      expect(errorOf(response).code).toBe('unauthenticated');
    }
  });
});
