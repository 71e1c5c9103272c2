import type { ServerFrame } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test/FakeSocket';
import { me } from '../test/fixtures';
import { backoffDelay } from './backoff';
import { ConnectionManager, type ConnectionManagerOptions, type ConnectionStatus } from './ConnectionManager';

const ready: ServerFrame = {
  type: 'ready',
  user: me,
  rooms: [{ roomId: 'r1', lastSeq: 4 }],
  heartbeatMs: 10_000,
};

function setup(overrides: Partial<ConnectionManagerOptions> = {}) {
  const frames: ServerFrame[] = [];
  const statuses: ConnectionStatus[] = [];
  const ended = vi.fn();
  let wake: ((reason: 'online' | 'visible') => void) | undefined;
  let tickets = 0;
  const manager = new ConnectionManager({
    wsBase: 'ws://chat.test/ws',
    getTicket: async () => `t${++tickets}`,
    getCursors: () => ({ r1: 4 }),
    onFrame: (frame) => frames.push(frame),
    onStatus: (status) => statuses.push(status),
    onSessionEnded: ended,
    createSocket: (url) => new FakeSocket(url),
    wakeSource: (onWake) => {
      wake = onWake;
      return () => {
        wake = undefined;
      };
    },
    random: () => 0.5,
    backoff: { baseMs: 1000, maxMs: 8000 },
    ...overrides,
  });
  return { manager, frames, statuses, ended, wakeUp: (reason: 'online' | 'visible') => wake?.(reason) };
}

/** Lets the ticket promise resolve and the socket be created. */
async function flush() {
  await vi.advanceTimersByTimeAsync(0);
}

async function connectOnce(manager: ConnectionManager) {
  manager.start();
  await flush();
  const socket = FakeSocket.latest();
  socket.open();
  socket.receive(ready);
  return socket;
}

describe('ConnectionManager', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects with a ticket and resume=1 and sends the cursors as the very first frame', async () => {
    const { manager, statuses } = setup();
    const socket = await connectOnce(manager);
    expect(socket.url).toBe('ws://chat.test/ws?ticket=t1&resume=1');
    expect(socket.sent[0]).toEqual({ type: 'resume', cursors: { r1: 4 } });
    expect(statuses).toEqual(['connecting', 'connected']);
    expect(manager.send({ type: 'ack', roomId: 'r1', seq: 4 })).toBe(true);
  });

  it('backs off exponentially with jitter, and resets after a successful ready', async () => {
    expect(backoffDelay(0, () => 0, { baseMs: 1000, maxMs: 8000 })).toBe(500);
    expect(backoffDelay(0, () => 1, { baseMs: 1000, maxMs: 8000 })).toBe(1000);
    expect(backoffDelay(3, () => 0.5, { baseMs: 1000, maxMs: 8000 })).toBe(6000);
    expect(backoffDelay(10, () => 1, { baseMs: 1000, maxMs: 8000 })).toBe(8000);

    const { manager, statuses } = setup();
    const first = await connectOnce(manager);
    first.drop();
    expect(statuses.at(-1)).toBe('offline');

    // attempt 0: 1000 * 0.75 = 750 ms
    await vi.advanceTimersByTimeAsync(749);
    expect(FakeSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.instances).toHaveLength(2);

    // The second socket fails before ready: attempt 1 waits 2000 * 0.75 = 1500 ms.
    FakeSocket.latest().drop();
    await vi.advanceTimersByTimeAsync(1499);
    expect(FakeSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.instances).toHaveLength(3);

    // A ready resets the backoff: the next drop waits 750 ms again.
    const third = FakeSocket.latest();
    third.open();
    third.receive(ready);
    third.drop();
    await vi.advanceTimersByTimeAsync(750);
    expect(FakeSocket.instances).toHaveLength(4);
  });

  it('ignores frames and closes from a socket it abandoned', async () => {
    const { manager, frames, statuses } = setup();
    const old = await connectOnce(manager);
    // Heartbeat: a ping goes out; no pong within the next beat means the connection is dead.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(old.sent.at(-1)).toMatchObject({ type: 'ping' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(old.closedWith).toBeDefined();
    expect(statuses.at(-1)).toBe('offline');

    const before = frames.length;
    old.receive({
      type: 'event',
      event: { roomId: 'r1', seq: 5, type: 'member.left', at: '', actor: me, data: { user: me } },
    });
    old.drop();
    expect(frames).toHaveLength(before);

    await vi.advanceTimersByTimeAsync(750);
    const fresh = FakeSocket.latest();
    expect(fresh).not.toBe(old);
    fresh.open();
    fresh.receive(ready);
    expect(statuses.at(-1)).toBe('connected');
    // The late close of the old socket did not schedule an extra reconnect.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(FakeSocket.instances).toHaveLength(2);
    expect(fresh.closedWith).toBeUndefined();
  });

  it('keeps a connection whose pongs come back', async () => {
    const { manager } = setup();
    const socket = await connectOnce(manager);
    for (let beat = 0; beat < 5; beat++) {
      await vi.advanceTimersByTimeAsync(10_000);
      socket.receive({ type: 'pong' });
    }
    expect(socket.closedWith).toBeUndefined();
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('reconnects at once when the browser comes back online instead of waiting out the backoff', async () => {
    const { manager, wakeUp } = setup({ backoff: { baseMs: 30_000, maxMs: 60_000 } });
    const socket = await connectOnce(manager);
    socket.drop();
    await flush();
    expect(FakeSocket.instances).toHaveLength(1);
    wakeUp('online');
    await flush();
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('stops for good when the server ends the session (4001)', async () => {
    const { manager, ended, wakeUp } = setup();
    const socket = await connectOnce(manager);
    socket.drop(4001);
    expect(ended).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(120_000);
    wakeUp('visible');
    await flush();
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('treats a refused ticket (401) as the end of the session', async () => {
    const refused = Object.assign(new Error('no'), { status: 401 });
    const { manager, ended } = setup({ getTicket: () => Promise.reject(refused) });
    manager.start();
    await flush();
    expect(ended).toHaveBeenCalledOnce();
    expect(FakeSocket.instances).toHaveLength(0);
  });
});
