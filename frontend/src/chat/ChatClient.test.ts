import type { Job, Member, Message, MessageReceipts, Room, RoomEvent } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/ApiError';
import { ConnectionManager } from '../realtime/ConnectionManager';
import { ChatStore } from '../state/ChatStore';
import { visibleOutbox } from '../state/outbox';
import { browserOutboxStorage, type OutboxStorage } from '../state/outboxStorage';
import { FakeSocket } from '../test/FakeSocket';
import { created, job, me, meRef, message, ROOM, sam } from '../test/fixtures';
import { type ChatApi, ChatClient } from './ChatClient';

const general: Room = {
  id: ROOM,
  slug: 'general',
  name: 'general',
  topic: '',
  visibility: 'public',
  lastSeq: 2,
  membership: 'member',
};

/** A server log the fake API answers from. */
function fakeApi(log: RoomEvent[]) {
  const api = {
    rooms: vi.fn(async () => [general]),
    joinRoom: vi.fn(async () => general),
    messages: vi.fn(async () => ({ items: [message(1), message(2)], hasMore: false })),
    thread: vi.fn(async () => ({ root: message(1), replies: [], hasMore: false })),
    events: vi.fn(async (_roomId: string, after: number) => ({
      items: log.filter((event) => event.seq > after),
      hasMore: false,
    })),
    sendMessage: vi.fn(async (_roomId: string, _text: string, _key: string): Promise<Job> => job('j1')),
    uploadFile: vi.fn(() => ({ done: Promise.reject(new Error('unused')), abort: () => undefined })),
    job: vi.fn(async (id: string) => job(id)),
    editMessage: vi.fn(async (): Promise<Message> => message(1)),
    deleteMessage: vi.fn(async () => undefined),
    addReaction: vi.fn(async () => []),
    removeReaction: vi.fn(async () => undefined),
    createRoom: vi.fn(async (): Promise<Room> => general),
    updateRoom: vi.fn(async (): Promise<Room> => general),
    leaveRoom: vi.fn(async () => undefined),
    members: vi.fn(async (): Promise<Member[]> => []),
    addMember: vi.fn(
      async (): Promise<Member> => ({
        user: { ...sam, role: 'member', avatarUrl: null },
        role: 'member',
        joinedAt: '',
      }),
    ),
    setMemberRole: vi.fn(
      async (): Promise<Member> => ({
        user: { ...sam, role: 'member', avatarUrl: null },
        role: 'admin',
        joinedAt: '',
      }),
    ),
    removeMember: vi.fn(async () => undefined),
    openDm: vi.fn(async (): Promise<Room> => general),
    setNotifyLevel: vi.fn(
      async (_roomId: string, level: 'all' | 'mentions' | 'mute'): Promise<Room> => ({
        ...general,
        notifyLevel: level,
      }),
    ),
    receipts: vi.fn(
      async (messageId: string): Promise<MessageReceipts> => ({
        messageId,
        recipients: 2,
        delivered: 1,
        seenBy: [],
      }),
    ),
    message: vi.fn(async (): Promise<Message> => message(1)),
    messagesAround: vi.fn(async () => ({ messages: [] as Message[], hasMore: false, hasMoreAfter: false })),
  } satisfies ChatApi;
  return api;
}

interface StartOptions {
  initialRoomSlug?: string;
  outboxStorage?: OutboxStorage;
  isOnline?: () => boolean;
  /** Prefix of the idempotency keys this client makes (a reloaded page makes new ones). */
  keyPrefix?: string;
  maxUploadBytes?: number;
}

async function startChat(api: ChatApi, initialRoomSlugOrOptions?: string | StartOptions) {
  const options: StartOptions =
    typeof initialRoomSlugOrOptions === 'string'
      ? { initialRoomSlug: initialRoomSlugOrOptions }
      : (initialRoomSlugOrOptions ?? {});
  const store = new ChatStore(me);
  let keys = 0;
  const client = new ChatClient({
    api,
    store,
    onSessionEnded: () => undefined,
    initialRoomSlug: options.initialRoomSlug,
    ...(options.outboxStorage ? { outboxStorage: options.outboxStorage } : {}),
    ...(options.isOnline ? { isOnline: options.isOnline } : {}),
    ...(options.maxUploadBytes ? { maxUploadBytes: () => options.maxUploadBytes ?? 0 } : {}),
    newKey: () => `${options.keyPrefix ?? 'key'}-${++keys}`,
    connect: (hooks) =>
      new ConnectionManager({
        ...hooks,
        wsBase: 'ws://chat.test/ws',
        getTicket: async () => 'ticket',
        createSocket: (url) => new FakeSocket(url),
        random: () => 0,
      }),
  });
  await client.start();
  await vi.advanceTimersByTimeAsync(0);
  const socket = FakeSocket.latest();
  socket.open();
  socket.receive({ type: 'ready', user: me, rooms: [{ roomId: ROOM, lastSeq: 2 }], heartbeatMs: 30_000 });
  return { store, client, socket };
}

const seqs = (store: ChatStore) => store.timeline(ROOM).messages.map((m) => m.seq);

describe('ChatClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    // The fixtures' messages are written on this day.
    vi.setSystemTime(new Date('2025-01-01T12:00:00.000Z'));
    FakeSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resumes from the loaded history, fills gaps from /events and shows every message exactly once', async () => {
    const log = [1, 2, 3, 4, 5, 6].map((seq) => created(seq));
    const api = fakeApi(log);
    const { store, socket } = await startChat(api);
    expect(socket.sent[0]).toEqual({ type: 'resume', cursors: { [ROOM]: 2 } });

    socket.receive({ type: 'event', event: created(3) });
    expect(seqs(store)).toEqual([1, 2, 3]);

    // 4 was lost on the way: 5 reveals the gap, which is filled before 5 is applied.
    socket.receive({ type: 'event', event: created(5) });
    await vi.advanceTimersByTimeAsync(0);
    expect(api.events).toHaveBeenCalledWith(ROOM, 3);
    expect(seqs(store)).toEqual([1, 2, 3, 4, 5, 6]);

    // The network drops; the new socket resumes from 6 and the server replays 6 again.
    socket.drop();
    await vi.advanceTimersByTimeAsync(1000);
    const next = FakeSocket.latest();
    expect(next).not.toBe(socket);
    next.open();
    expect(next.sent[0]).toEqual({ type: 'resume', cursors: { [ROOM]: 6 } });
    next.receive({ type: 'ready', user: me, rooms: [{ roomId: ROOM, lastSeq: 7 }], heartbeatMs: 30_000 });
    next.receive({ type: 'event', event: created(6) });
    next.receive({ type: 'event', event: created(7) });
    expect(seqs(store)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    // Frames of the abandoned socket are ignored.
    socket.receive({ type: 'event', event: created(8) });
    expect(seqs(store)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    await vi.advanceTimersByTimeAsync(1000);
    expect(next.sent).toContainEqual({ type: 'ack', roomId: ROOM, seq: 7 });
  });

  it('shows an own message as pending, then once as sent, whichever of event and job frame comes first', async () => {
    const api = fakeApi([]);
    const { store, client, socket } = await startChat(api);

    client.sendText(ROOM, '  hello there  ');
    expect(visibleOutbox(store.getState().outbox, ROOM)).toMatchObject([
      { text: 'hello there', status: 'sending' },
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.sendMessage).toHaveBeenCalledWith(ROOM, 'hello there', 'key-1');
    expect(store.getState().outbox[0]).toMatchObject({ status: 'queued', jobId: 'j1' });

    // The event overtakes the job frame: the pending copy is hidden at once.
    socket.receive({
      type: 'event',
      event: created(3, { id: 'm-mine', author: meRef, text: 'hello there' }),
    });
    expect(visibleOutbox(store.getState().outbox, ROOM)).toHaveLength(0);
    expect(store.timeline(ROOM).messages.filter((m) => m.id === 'm-mine')).toHaveLength(1);

    socket.receive({
      type: 'job',
      job: job('j1', { status: 'completed', result: { messageId: 'm-mine', seq: 3 } }),
    });
    expect(store.getState().outbox).toHaveLength(0);
  });

  it('sends again, with the same idempotency key, a message whose request got no answer', async () => {
    const api = fakeApi([]);
    api.sendMessage
      .mockRejectedValueOnce(new ApiError('network_error', 'Could not reach the server.'))
      .mockRejectedValueOnce(new ApiError('unavailable', 'Shutting down.', { status: 503 }));
    const { store, client } = await startChat(api);

    client.sendText(ROOM, 'are you there?');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().outbox[0]).toMatchObject({ status: 'waiting' });
    // A new message nudges the queue: the first is tried again at once, and the new one waits
    // behind it, so that they arrive in the order they were written.
    client.sendText(ROOM, 'and this one after it');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.sendMessage).toHaveBeenCalledTimes(2);
    expect(store.getState().outbox.map((item) => item.status)).toEqual(['waiting', 'waiting']);

    await vi.advanceTimersByTimeAsync(2000);
    const keys = api.sendMessage.mock.calls.map((call) => `${call[1]}|${call[2]}`);
    expect(keys).toEqual([
      'are you there?|key-1',
      'are you there?|key-1',
      'are you there?|key-1',
      'and this one after it|key-2',
    ]);
    expect(store.getState().outbox.map((item) => item.status)).toEqual(['queued', 'queued']);
  });

  it('marks a send the server refused as failed, and retries it on request', async () => {
    const api = fakeApi([]);
    api.sendMessage.mockRejectedValueOnce(new ApiError('forbidden', 'Join the room first.', { status: 403 }));
    const { store, client, socket } = await startChat(api);

    client.sendText(ROOM, 'are you there?');
    await vi.advanceTimersByTimeAsync(5000);
    const failed = store.getState().outbox[0];
    expect(failed).toMatchObject({ status: 'failed', error: 'Join the room first.' });
    expect(api.sendMessage).toHaveBeenCalledTimes(1);

    client.retry(failed?.localId ?? '');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.sendMessage).toHaveBeenCalledTimes(2);
    expect(api.sendMessage.mock.calls[1]?.[2]).toBe(api.sendMessage.mock.calls[0]?.[2]);
    expect(store.getState().outbox[0]).toMatchObject({ status: 'queued' });

    // A job that failed on the server is retried under a new key (the old one would replay the failure).
    socket.receive({
      type: 'job',
      job: job('j1', { status: 'failed', error: { code: 'internal', message: 'Nope' } }),
    });
    client.retry(failed?.localId ?? '');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.sendMessage.mock.calls[2]?.[2]).not.toBe(api.sendMessage.mock.calls[0]?.[2]);
  });

  it('opens the room a deep link names, joining it first when it is a public room one is not in', async () => {
    const design: Room = { ...general, id: 'r-design', slug: 'design', name: 'design', membership: null };
    const api = fakeApi([]);
    const joined: Room = { ...design, membership: 'member', lastSeq: 3 };
    api.rooms.mockResolvedValueOnce([general, design]).mockResolvedValue([general, joined]);
    api.joinRoom.mockResolvedValue(joined);
    const { store } = await startChat(api, 'design');

    expect(store.getState().activeRoomId).toBe('r-design');
    expect(api.joinRoom).toHaveBeenCalledWith('r-design');
    expect(api.messages).toHaveBeenCalledWith('r-design', { limit: 50 });
    expect(store.getState().rooms.find((room) => room.id === 'r-design')?.membership).toBe('member');
    expect(store.timeline('r-design').cursor).toBe(3);
  });

  it('opens no room for a deep link to a room one cannot open, says which, until one picks a room', async () => {
    const api = fakeApi([]);
    const { store, client } = await startChat(api, 'no-such-room');
    expect(store.getState().activeRoomId).toBeNull();
    expect(store.getState().missingRoomSlug).toBe('no-such-room');
    expect(api.joinRoom).not.toHaveBeenCalled();
    // A later reload of the room list (a reconnect) does not quietly open #general either.
    await client.loadRooms();
    expect(store.getState().activeRoomId).toBeNull();

    client.selectRoom(ROOM);
    expect(store.getState()).toMatchObject({ activeRoomId: ROOM, missingRoomSlug: null });
  });

  it('refuses a file over the server limit before uploading it, and a 413 for good, without Retry', async () => {
    const api = fakeApi([]);
    const { store, client } = await startChat(api, { maxUploadBytes: 1000 });
    const big = new File([new Uint8Array(1001)], 'big.bin');
    client.sendFile(ROOM, big);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.uploadFile).not.toHaveBeenCalled();
    expect(store.getState().outbox[0]).toMatchObject({
      status: 'failed',
      permanent: true,
      error: 'big.bin is 1 KB; files can be at most 1 KB.',
    });
    client.retry(store.getState().outbox[0]?.localId ?? '');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.uploadFile).not.toHaveBeenCalled();

    // The server's limit may be lower than the one known here: its 413 is final as well.
    api.uploadFile.mockReturnValueOnce({
      done: Promise.reject(new ApiError('payload_too_large', 'Too large.', { status: 413 })),
      abort: () => undefined,
    });
    client.sendFile(ROOM, new File([new Uint8Array(10)], 'small.bin'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.uploadFile).toHaveBeenCalledTimes(1);
    expect(store.getState().outbox[1]).toMatchObject({ status: 'failed', permanent: true });
    expect(store.getState().outbox[1]?.error).toContain('at most 1 KB');
  });

  it('counts unread from the ack cursor, picks up a room one is added to, and lets go of one removed from', async () => {
    const ops: Room = {
      ...general,
      id: 'r-ops',
      slug: 'ops',
      name: 'ops',
      visibility: 'private',
      lastSeq: 5,
      ackSeq: 2,
    };
    // The thread-only reply (seq 5) is counted on its root, not in the room's badge.
    const opsLog: RoomEvent[] = [
      ...[3, 4].map((seq) => created(seq, { roomId: 'r-ops' })),
      created(5, { roomId: 'r-ops', replyTo: 'm-3', threadId: 'm-3' }),
    ];
    const api = fakeApi([]);
    api.rooms.mockResolvedValue([general, ops]);
    api.events.mockImplementation(async (roomId: string, after: number) => ({
      items: roomId === 'r-ops' ? opsLog.filter((event) => event.seq > after) : [],
      hasMore: false,
    }));
    const { store, socket } = await startChat(api);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.events).toHaveBeenCalledWith('r-ops', 2);
    expect(store.getState().unread['r-ops']).toBe(2);

    // Added to a new room while connected: its first event makes the client ask for the room list.
    const design: Room = {
      ...general,
      id: 'r-design',
      slug: 'design',
      name: 'design',
      lastSeq: 2,
      ackSeq: 0,
    };
    api.rooms.mockResolvedValue([general, ops, design]);
    const joined: RoomEvent = {
      roomId: 'r-design',
      seq: 2,
      type: 'member.joined',
      at: '2025-01-01T12:00:00.000Z',
      actor: sam,
      data: { user: meRef },
    };
    socket.receive({ type: 'event', event: joined });
    socket.receive({ type: 'event', event: created(3, { roomId: 'r-design' }) });
    await vi.advanceTimersByTimeAsync(500);
    expect(store.getState().rooms.map((room) => room.id)).toContain('r-design');
    expect(store.getState().unread['r-design']).toBe(1);

    // Removed from the open room: a notice, back to #general, the room gone from the list.
    store.update((state) => ({ ...state, activeRoomId: 'r-ops' }));
    socket.receive({
      type: 'event',
      event: { ...joined, roomId: 'r-ops', seq: 5, type: 'member.left', data: { user: meRef } },
    });
    expect(store.getState().activeRoomId).toBe(ROOM);
    expect(store.getState().rooms.some((room) => room.id === 'r-ops')).toBe(false);
    expect(store.getState().notice).toMatch(/Sam Okafor removed you from #ops/);
    expect(store.getState().timelines['r-ops']).toBeUndefined();
  });

  it('while offline, queues messages without touching the network and sends them once back', async () => {
    const api = fakeApi([]);
    const { store, client, socket } = await startChat(api);
    socket.drop();
    expect(store.getState().connection).toBe('offline');

    client.sendText(ROOM, 'written on the train');
    client.sendText(ROOM, 'still no signal');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.sendMessage).not.toHaveBeenCalled();
    expect(visibleOutbox(store.getState().outbox, ROOM).map((item) => item.status)).toEqual([
      'waiting',
      'waiting',
    ]);

    await vi.advanceTimersByTimeAsync(1000);
    const next = FakeSocket.latest();
    next.open();
    next.receive({ type: 'ready', user: me, rooms: [{ roomId: ROOM, lastSeq: 2 }], heartbeatMs: 30_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(api.sendMessage.mock.calls.map((call) => call[1])).toEqual([
      'written on the train',
      'still no signal',
    ]);
  });

  it('keeps unsent messages across a reload and resends them with their keys, but not what was delivered', async () => {
    localStorage.clear();
    let online = true;
    const api = fakeApi([]);
    api.sendMessage.mockImplementation(async (_roomId, text) =>
      text === 'delivered before the reload'
        ? job('j-done', { status: 'completed', result: { messageId: 'm-9', seq: 9 } })
        : job('j1'),
    );
    const first = await startChat(api, {
      outboxStorage: browserOutboxStorage(me.id),
      isOnline: () => online,
    });
    first.client.sendText(ROOM, 'delivered before the reload');
    await vi.advanceTimersByTimeAsync(0);
    online = false;
    first.client.sendText(ROOM, 'typed offline');
    first.client.sendText(ROOM, 'typed offline too');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.sendMessage).toHaveBeenCalledTimes(1);
    const stored = JSON.parse(localStorage.getItem('parley:outbox:v1:u-me') ?? '[]') as { text: string }[];
    expect(stored.map((item) => item.text)).toEqual(['typed offline', 'typed offline too']);

    // The page is reloaded, online again: the new client shows them at once, then sends them.
    first.client.stop();
    online = true;
    api.sendMessage.mockClear();
    api.sendMessage.mockImplementation(async (_roomId, text) =>
      job(`j-${text.length}`, {
        status: 'completed',
        result: { messageId: `m-${text.length}`, seq: 3 },
      }),
    );
    const store = new ChatStore(me);
    new ChatClient({
      api,
      store,
      onSessionEnded: () => undefined,
      outboxStorage: browserOutboxStorage(me.id),
      connect: () => ({
        start: () => undefined,
        stop: () => undefined,
        send: () => false,
        wake: () => undefined,
      }),
    });
    expect(store.getState().outbox.map((item) => [item.text, item.status])).toEqual([
      ['typed offline', 'waiting'],
      ['typed offline too', 'waiting'],
    ]);

    const second = await startChat(api, { outboxStorage: browserOutboxStorage(me.id), keyPrefix: 'new' });
    await vi.advanceTimersByTimeAsync(0);
    expect(api.sendMessage.mock.calls.map((call) => `${call[1]}|${call[2]}`)).toEqual([
      'typed offline|key-2',
      'typed offline too|key-3',
    ]);
    // Answered (replayed) with their jobs' messages: nothing is left to send after another reload.
    expect(second.store.getState().outbox.every((item) => item.messageId !== undefined)).toBe(true);
    expect(localStorage.getItem('parley:outbox:v1:u-me')).toBeNull();
    second.client.stop();
  });

  it('asks for receipts of the newest three own messages on open, after activity and on a timer', async () => {
    const mine = [3, 4, 5, 6].map((seq) => message(seq, { author: meRef, text: `mine ${seq}` }));
    const api = fakeApi([]);
    api.messages.mockResolvedValue({ items: [message(1), message(2), ...mine], hasMore: false });
    const { store, socket } = await startChat(api);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.receipts.mock.calls.map((call) => call[0])).toEqual(['m-6', 'm-5', 'm-4']);
    expect(store.getState().receipts[ROOM]?.['m-6']).toMatchObject({ recipients: 2, delivered: 1 });

    // Someone writes: asked again shortly after, once for a burst.
    api.receipts.mockClear();
    socket.receive({ type: 'event', event: created(7) });
    socket.receive({ type: 'event', event: created(8) });
    await vi.advanceTimersByTimeAsync(1500);
    expect(api.receipts).toHaveBeenCalledTimes(3);

    // The newest is recent and not seen by everyone: polled every 3 s, three requests at a time.
    api.receipts.mockClear();
    await vi.advanceTimersByTimeAsync(3000);
    expect(api.receipts).toHaveBeenCalledTimes(3);

    // Minutes later, with nothing happening: every 10 s.
    vi.setSystemTime(Date.now() + 120_000);
    await vi.advanceTimersByTimeAsync(3000);
    api.receipts.mockClear();
    await vi.advanceTimersByTimeAsync(9000);
    expect(api.receipts).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.receipts).toHaveBeenCalledTimes(3);
  });

  it('shows a reaction at once, settles with its event, and takes back one the server refused', async () => {
    const api = fakeApi([]);
    const { store, client, socket } = await startChat(api);
    const reactionsOf = () => store.timeline(ROOM).messages[0]?.reactions;
    const target = store.timeline(ROOM).messages[0] as Message;

    await client.toggleReaction(target, '🎉');
    expect(api.addReaction).toHaveBeenCalledWith('m-1', '🎉');
    expect(reactionsOf()).toEqual([{ emoji: '🎉', count: 1, users: [meRef] }]);
    // Its event changes nothing more.
    socket.receive({
      type: 'event',
      event: {
        roomId: ROOM,
        seq: 3,
        type: 'reaction.added',
        at: '',
        actor: meRef,
        data: { messageId: 'm-1', emoji: '🎉', user: meRef },
      },
    });
    expect(reactionsOf()).toEqual([{ emoji: '🎉', count: 1, users: [meRef] }]);

    // Toggling again takes it back.
    await client.toggleReaction(target, '🎉');
    expect(api.removeReaction).toHaveBeenCalledWith('m-1', '🎉');
    expect(reactionsOf()).toBeUndefined();

    api.addReaction.mockRejectedValueOnce(
      new ApiError('conflict', 'That message was deleted.', { status: 409 }),
    );
    await client.toggleReaction(target, '👍');
    expect(reactionsOf()).toBeUndefined();
    expect(store.getState().notice).toMatch(/deleted/);
  });
});
