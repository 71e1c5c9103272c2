import type { Message, Room } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/ApiError';
import { ConnectionManager } from '../realtime/ConnectionManager';
import { ChatStore } from '../state/ChatStore';
import { FakeSocket } from '../test/FakeSocket';
import { me, message, ROOM } from '../test/fixtures';
import { type ChatApi, ChatClient } from './ChatClient';

const LAST = 600;
const room: Room = {
  id: ROOM,
  slug: 'general',
  name: 'general',
  topic: '',
  visibility: 'public',
  lastSeq: LAST,
  membership: 'member',
};
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A room of LAST messages, one per seq, served the way the server pages them. */
function roomApi() {
  const api = {
    rooms: vi.fn(async () => [room]),
    joinRoom: vi.fn(async () => room),
    messages: vi.fn(
      async (_roomId: string, options: { before?: number; after?: number; limit?: number } = {}) => {
        const limit = options.limit ?? 50;
        if (options.after !== undefined) {
          const seqs = range(options.after + 1, Math.min(LAST, options.after + limit));
          return { items: seqs.map((seq) => message(seq)), hasMore: options.after + limit < LAST };
        }
        const top = (options.before ?? LAST + 1) - 1;
        const seqs = range(Math.max(1, top - limit + 1), top);
        return { items: seqs.map((seq) => message(seq)), hasMore: (seqs[0] ?? 1) > 1 };
      },
    ),
    events: vi.fn(async () => ({ items: [], hasMore: false })),
    message: vi.fn(async (id: string): Promise<Message> => {
      const seq = Number(id.replace('m-', ''));
      if (!(seq >= 1 && seq <= LAST)) throw new ApiError('not_found', 'No such message.', { status: 404 });
      return message(seq);
    }),
    messagesAround: vi.fn(async (_roomId: string, seq: number, limit = 50) => ({
      messages: range(seq - limit / 2 + 1, seq + limit / 2).map((s) => message(s)),
      hasMore: true,
      hasMoreAfter: true,
    })),
  };
  return api as typeof api & ChatApi;
}

async function startChat(api: ChatApi) {
  const store = new ChatStore(me);
  const client = new ChatClient({
    api,
    store,
    onSessionEnded: () => undefined,
    initialRoomSlug: 'general',
    newKey: () => 'key',
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
  return { store, client };
}

describe('ChatClient.showMessage (permalinks)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.reset();
  });
  afterEach(() => vi.useRealTimers());

  it('loads the history around an old message and joins it to the newest, without a hole', async () => {
    const api = roomApi();
    const { store, client } = await startChat(api);
    expect(store.timeline(ROOM).messages[0]?.seq).toBe(LAST - 49);

    const shown = await client.showMessage('m-100');
    expect(shown?.seq).toBe(100);
    expect(api.messagesAround).toHaveBeenCalledWith(ROOM, 100, 50);
    const timeline = store.timeline(ROOM);
    expect(timeline.messages.map((m) => m.seq)).toEqual(range(76, LAST));
    expect(timeline.hasMore).toBe(true);
    expect(timeline.cursor).toBe(LAST);
    expect(store.getState().activeRoomId).toBe(ROOM);
  });

  it('asks nothing more when the message is already loaded', async () => {
    const api = roomApi();
    const { client } = await startChat(api);
    await client.showMessage(`m-${LAST - 3}`);
    expect(api.messagesAround).not.toHaveBeenCalled();
  });

  it('says so when the message cannot be shown', async () => {
    const api = roomApi();
    const { store, client } = await startChat(api);
    await expect(client.showMessage('m-9999')).resolves.toBeUndefined();
    expect(store.getState().notice).toMatch(/No such message/);
  });
});
