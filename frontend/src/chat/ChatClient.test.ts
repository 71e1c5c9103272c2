import type { Job, Member, Message, Room, RoomEvent } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/ApiError';
import { ConnectionManager } from '../realtime/ConnectionManager';
import { ChatStore } from '../state/ChatStore';
import { visibleOutbox } from '../state/outbox';
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
    events: vi.fn(async (_roomId: string, after: number) => ({
      items: log.filter((event) => event.seq > after),
      hasMore: false,
    })),
    sendMessage: vi.fn(async (_roomId: string, _text: string, _key: string): Promise<Job> => job('j1')),
    uploadFile: vi.fn(() => ({ done: Promise.reject(new Error('unused')), abort: () => undefined })),
    job: vi.fn(async (id: string) => job(id)),
    editMessage: vi.fn(async (): Promise<Message> => message(1)),
    deleteMessage: vi.fn(async () => undefined),
    createRoom: vi.fn(async (): Promise<Room> => general),
    updateRoom: vi.fn(async (): Promise<Room> => general),
    leaveRoom: vi.fn(async () => undefined),
    members: vi.fn(async (): Promise<Member[]> => []),
    addMember: vi.fn(async (): Promise<Member> => ({ user: sam, role: 'member', joinedAt: '' })),
    setMemberRole: vi.fn(async (): Promise<Member> => ({ user: sam, role: 'admin', joinedAt: '' })),
    removeMember: vi.fn(async () => undefined),
    openDm: vi.fn(async (): Promise<Room> => general),
  } satisfies ChatApi;
  return api;
}

async function startChat(api: ChatApi, initialRoomSlug?: string) {
  const store = new ChatStore(me);
  let keys = 0;
  const client = new ChatClient({
    api,
    store,
    onSessionEnded: () => undefined,
    initialRoomSlug,
    newKey: () => `key-${++keys}`,
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

  it('marks a send that never got an answer as failed, and retries it with the same idempotency key', async () => {
    const api = fakeApi([]);
    api.sendMessage.mockRejectedValueOnce(new ApiError('network_error', 'Could not reach the server.'));
    const { store, client, socket } = await startChat(api);

    client.sendText(ROOM, 'are you there?');
    await vi.advanceTimersByTimeAsync(0);
    const failed = store.getState().outbox[0];
    expect(failed).toMatchObject({ status: 'failed', error: 'Could not reach the server.' });

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

  it('opens #general for an unknown deep link, without joining anything', async () => {
    const api = fakeApi([]);
    const { store } = await startChat(api, 'no-such-room');
    expect(store.getState().activeRoomId).toBe(ROOM);
    expect(api.joinRoom).not.toHaveBeenCalled();
  });

  it('counts unread from the ack cursor, picks up a room one is added to, and lets go of one removed from', async () => {
    const ops: Room = {
      ...general,
      id: 'r-ops',
      slug: 'ops',
      name: 'ops',
      visibility: 'private',
      lastSeq: 4,
      ackSeq: 2,
    };
    const opsLog: RoomEvent[] = [3, 4].map((seq) => created(seq, { roomId: 'r-ops' }));
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
});
