import type { MessageReceipts } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  connectSocket,
  createRoom,
  isEvent,
  postMessage,
  register,
  uniqueName,
} from '../support/client.js';
import { sleep, startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let author: Account;
let reader: Account;
let absent: Account;
let roomId: string;

beforeAll(async () => {
  server = await startServer();
  author = await register(server, uniqueName('author'));
  reader = await register(server, uniqueName('reader'));
  absent = await register(server, uniqueName('absent'));
  const room = await createRoom(author, { name: uniqueName('receipts'), visibility: 'private' });
  roomId = room.id;
  for (const member of [reader, absent]) {
    const added = await author.api.post(`/rooms/${roomId}/members`, { username: member.username });
    expect(added.status, added.text).toBe(201);
  }
});
afterAll(() => server?.dispose());

async function receiptsOf(account: Account, messageId: string) {
  return account.api.get<{ receipts: MessageReceipts }>(`/messages/${messageId}/receipts`);
}

/** Delivery cursors are saved in batches about once a second. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

describe('delivery and read receipts', () => {
  it('counts a member as delivered once their socket got the message, and as seen once they ack', async () => {
    const socket = await connectSocket(server, reader.token);
    const { messageId, seq } = await postMessage(author, roomId, 'did you get this?');
    await socket.next(isEvent(roomId, 'message.created'));

    await eventually(async () => (await receiptsOf(author, messageId)).body.receipts.delivered === 1);
    const delivered = (await receiptsOf(author, messageId)).body.receipts;
    expect(delivered).toMatchObject({ messageId, recipients: 2, delivered: 1, seenBy: [] });

    socket.send({ type: 'ack', roomId, seq });
    await eventually(async () => (await receiptsOf(author, messageId)).body.receipts.seenBy.length === 1);
    const seen = (await receiptsOf(author, messageId)).body.receipts;
    expect(seen.seenBy.map((user) => user.id)).toEqual([reader.user.id]);
    await socket.close();
  });

  it('lets a user stop sharing read receipts while still counting as delivered', async () => {
    const socket = await connectSocket(server, reader.token);
    const { messageId, seq } = await postMessage(author, roomId, 'private reading');
    await socket.next(isEvent(roomId, 'message.created'));
    const off = await reader.api.patch<{ settings: { shareReadReceipts: boolean } }>('/me/settings', {
      shareReadReceipts: false,
    });
    expect(off.status, off.text).toBe(200);
    expect(off.body.settings.shareReadReceipts).toBe(false);
    socket.send({ type: 'ack', roomId, seq });
    await eventually(async () => (await receiptsOf(author, messageId)).body.receipts.delivered === 1);
    await sleep(300);
    expect((await receiptsOf(author, messageId)).body.receipts.seenBy).toEqual([]);
    expect((await reader.api.get<{ settings: object }>('/me/settings')).body.settings).toEqual({
      shareReadReceipts: false,
    });
    await reader.api.patch('/me/settings', { shareReadReceipts: true });
    await socket.close();
  });

  it('shows receipts to the author only', async () => {
    const { messageId } = await postMessage(author, roomId, 'mine to check');
    expect((await receiptsOf(reader, messageId)).status).toBe(403);
    const stranger = await register(server, uniqueName('stranger'));
    expect((await receiptsOf(stranger, messageId)).status).toBe(404);
  });

  it('refuses a settings body of the wrong shape', async () => {
    const response = await reader.api.patch('/me/settings', { shareReadReceipts: 'no' });
    expect(response.status).toBe(400);
  });
});
