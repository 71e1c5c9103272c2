import type { Job, Message, Room } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/ApiError';
import { ConnectionManager } from '../realtime/ConnectionManager';
import { ChatStore } from '../state/ChatStore';
import { KEPT_MESSAGES } from '../state/offlineCopy';
import { browserOfflineCopyStorage, OFFLINE_COPY_KEY } from '../state/offlineCopyStorage';
import { browserOutboxStorage } from '../state/outboxStorage';
import { FakeSocket } from '../test/FakeSocket';
import { job, me, message, ROOM } from '../test/fixtures';
import { type ChatApi, ChatClient } from './ChatClient';

const LAST = 60;
const general: Room = {
  id: ROOM,
  slug: 'general',
  name: 'general',
  topic: '',
  visibility: 'public',
  lastSeq: LAST,
  membership: 'member',
};
const unreachable = () => new ApiError('network_error', 'Could not reach the server. Check your connection.');

/** A room of LAST messages; `online` false makes every call fail as without a network. */
function serverApi(network: { online: boolean }) {
  const reach = <T>(answer: () => T) =>
    vi.fn(async (..._args: unknown[]) => {
      if (!network.online) throw unreachable();
      return answer();
    });
  const api = {
    rooms: reach(() => [general]),
    joinRoom: reach(() => general),
    messages: reach(() => ({
      items: Array.from({ length: 50 }, (_, i) => message(LAST - 49 + i)),
      hasMore: true,
    })),
    events: reach(() => ({ items: [], hasMore: false })),
    members: reach(() => []),
    receipts: reach(() => ({ messageId: 'm', recipients: 1, delivered: 0, seenBy: [] })),
    job: reach((): Job => job('j1')),
    sendMessage: reach((): Job => job('j1')),
  };
  return api as typeof api & ChatApi;
}

function chat(api: ChatApi, network: { online: boolean }, startFromOfflineCopy: boolean) {
  const store = new ChatStore(me);
  const client = new ChatClient({
    api,
    store,
    onSessionEnded: () => undefined,
    newKey: () => 'key-1',
    outboxStorage: browserOutboxStorage(me.id),
    offlineCopy: browserOfflineCopyStorage(),
    offlineCopyDelayMs: 10,
    startFromOfflineCopy,
    isOnline: () => network.online,
    connect: (hooks) =>
      new ConnectionManager({
        ...hooks,
        wsBase: 'ws://chat.test/ws',
        getTicket: async () => {
          if (!network.online) throw unreachable();
          return 'ticket';
        },
        createSocket: (url) => new FakeSocket(url),
        random: () => 0,
      }),
  });
  return { store, client };
}

describe('ChatClient and the offline copy', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-01T12:00:00.000Z'));
    FakeSocket.reset();
    localStorage.clear();
  });
  afterEach(() => {
    vi.useRealTimers();
    localStorage.clear();
  });

  it('keeps the newest messages of the open room, and a reload offline draws them and resumes from their cursor', async () => {
    const network = { online: true };
    const api = serverApi(network);
    const first = chat(api, network, false);
    await first.client.start();
    await vi.advanceTimersByTimeAsync(50);
    const kept = browserOfflineCopyStorage().load(me.id);
    expect(kept?.rooms.map((room) => room.id)).toEqual([ROOM]);
    expect(kept?.timelines[0]?.messages.map((m: Message) => m.seq)).toEqual(
      Array.from({ length: KEPT_MESSAGES }, (_, i) => LAST - KEPT_MESSAGES + 1 + i),
    );
    expect(kept?.timelines[0]?.cursor).toBe(LAST);
    first.client.stop();

    // Reloaded without a network: the room and its messages show without asking the server.
    network.online = false;
    api.rooms.mockClear();
    api.messages.mockClear();
    const second = chat(api, network, true);
    await second.client.start();
    await vi.advanceTimersByTimeAsync(0);
    const state = second.store.getState();
    expect(state.activeRoomId).toBe(ROOM);
    expect(state.fromOfflineCopy).toBe(kept?.savedAt);
    expect(second.store.timeline(ROOM).messages).toHaveLength(KEPT_MESSAGES);
    expect(api.rooms).not.toHaveBeenCalled();
    expect(api.messages).not.toHaveBeenCalled();
    expect(state.notice).toBeNull();

    // Written offline: it waits, kept for the next reload.
    second.client.sendText(ROOM, 'written offline');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.sendMessage).not.toHaveBeenCalled();
    expect(second.store.getState().outbox.map((item) => item.status)).toEqual(['waiting']);

    // Back online: the socket resumes from the kept cursor, the room list is read afresh and
    // the message goes out with its key.
    network.online = true;
    const sockets = FakeSocket.instances.length;
    second.client.reconnect();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeSocket.instances.length).toBe(sockets + 1);
    const socket = FakeSocket.latest();
    socket.open();
    expect(socket.sent[0]).toEqual({ type: 'resume', cursors: { [ROOM]: LAST } });
    socket.receive({
      type: 'ready',
      user: me,
      rooms: [{ roomId: ROOM, lastSeq: LAST }],
      heartbeatMs: 30_000,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(api.rooms).toHaveBeenCalledTimes(1);
    expect(second.store.getState().fromOfflineCopy).toBeNull();
    expect(api.sendMessage.mock.calls.map((call) => [call[1], call[2]])).toEqual([
      ['written offline', 'key-1'],
    ]);
    second.client.stop();
  });

  it('without a copy (or one of another user) it loads from the server as usual', async () => {
    localStorage.setItem(
      OFFLINE_COPY_KEY,
      JSON.stringify({
        version: 1,
        savedAt: 'x',
        me: { ...me, id: 'u-other' },
        rooms: [],
        activeRoomId: null,
        timelines: [],
      }),
    );
    const network = { online: true };
    const api = serverApi(network);
    const { store, client } = chat(api, network, true);
    await client.start();
    expect(api.rooms).toHaveBeenCalled();
    expect(store.getState().fromOfflineCopy).toBeNull();
    client.stop();
  });

  it('forgets the copy when the server ends the session', async () => {
    const network = { online: true };
    const api = serverApi(network);
    const { client } = chat(api, network, false);
    await client.start();
    await vi.advanceTimersByTimeAsync(50);
    expect(localStorage.getItem(OFFLINE_COPY_KEY)).not.toBeNull();
    await vi.advanceTimersByTimeAsync(0);
    const socket = FakeSocket.latest();
    socket.open();
    socket.drop(4001);
    await vi.advanceTimersByTimeAsync(0);
    expect(localStorage.getItem(OFFLINE_COPY_KEY)).toBeNull();
  });
});
