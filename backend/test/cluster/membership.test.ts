/**
 * Removing a member on one instance stops the room's flow to their sockets on every instance:
 * no event of the room reaches them after the removal, while they stay connected and keep
 * getting their other rooms.
 */
import type { Room, RoomEvent, ServerFrame } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connectSocket,
  createRoom,
  expectStatus,
  generalRoom,
  register,
  type Socket,
  submitMessage,
  uniqueName,
  waitForCompletion,
} from '../support/client.js';
import { clusterUnavailable, startCluster, type TestCluster } from '../support/cluster.js';
import { addMember } from '../support/rooms.js';

const skip = clusterUnavailable('test/cluster/membership.test.ts');

let cluster: TestCluster;

beforeAll(async () => {
  if (skip) return;
  cluster = await startCluster({ env: { RATE_LIMIT_SENDS_PER_MINUTE: '0' } });
});
afterAll(async () => {
  await cluster?.dispose();
});

const eventsOf = (socket: Socket, roomId: string): RoomEvent[] =>
  socket.frames.flatMap((frame: ServerFrame) =>
    frame.type === 'event' && frame.event.roomId === roomId ? [frame.event] : [],
  );

describe.skipIf(skip)('removing a member across instances', () => {
  it('stops the room on their sockets on every instance, and nothing else', async () => {
    const [i1, i2, i3] = cluster.instances;
    if (!i1 || !i2 || !i3) throw new Error('expected three instances');
    const owner = await register(cluster, uniqueName('owner'));
    const guest = await register(cluster, uniqueName('guest'));
    const room: Room = await createRoom(owner, { name: `Secret ${uniqueName('s')}`, visibility: 'private' });
    await addMember(owner, room.id, guest.username);
    const general = await generalRoom(guest);

    const sockets = await Promise.all([connectSocket(i2, guest.token), connectSocket(i3, guest.token)]);
    for (const socket of sockets) expect(socket.ready.rooms.map((r) => r.roomId)).toContain(room.id);
    // `ready` names the process holding each connection: two instances, two ids.
    const [onI2, onI3] = sockets.map((socket) => socket.ready.instance);
    expect(onI2).toEqual(expect.any(String));
    expect(onI3).toEqual(expect.any(String));
    expect(onI2).not.toBe(onI3);
    const again = await connectSocket(i2, guest.token);
    expect(again.ready.instance).toBe(onI2);
    await again.close();

    const before = await waitForCompletion(owner, (await submitMessage(owner, room.id, 'before')).id);
    for (const socket of sockets) {
      await socket.next(
        (f) => f.type === 'event' && f.event.seq === before.result.seq && f.event.roomId === room.id,
      );
    }

    // Reading history on the other instances remembers nothing that outlives the removal.
    for (const instance of [i2, i3]) {
      expectStatus(await api(instance, guest.token).get(`/rooms/${room.id}/messages`), 200, instance.name);
    }
    expectStatus(
      await api(i1, owner.token).delete(`/rooms/${room.id}/members/${guest.user.id}`),
      204,
      'removal on instance-1',
    );
    // Only members read a room: at once on every instance, not when a pub/sub packet arrives.
    for (const instance of [i2, i3]) {
      expectStatus(await api(instance, guest.token).get(`/rooms/${room.id}/messages`), 404, instance.name);
    }
    for (const socket of sockets) {
      await socket.next(
        (f) => f.type === 'event' && f.event.type === 'member.left' && f.event.roomId === room.id,
      );
    }
    const removedAt = Math.max(...sockets.map((socket) => eventsOf(socket, room.id).at(-1)?.seq ?? 0));

    const after = await waitForCompletion(owner, (await submitMessage(owner, room.id, 'after, secret')).id);
    // Their other rooms still flow: a message in #general arrives on both sockets.
    const hello = await waitForCompletion(owner, (await submitMessage(owner, general.id, 'hello all')).id);
    for (const socket of sockets) {
      await socket.next(
        (f) => f.type === 'event' && f.event.roomId === general.id && f.event.seq === hello.result.seq,
      );
      const seen = eventsOf(socket, room.id).map((event) => event.seq);
      expect(seen.every((seq) => seq <= removedAt)).toBe(true);
      expect(seen).not.toContain(after.result.seq);
    }
    await Promise.all(sockets.map((socket) => socket.close()));
  }, 60_000);

  it('announces offline within 15 seconds a user whose only instance was killed', async () => {
    const [i1, , i3] = cluster.instances;
    if (!i1 || !i3) throw new Error('expected three instances');
    const watcher = await register(cluster, uniqueName('watcher'));
    const stranded = await register(cluster, uniqueName('stranded'));
    const watching = await connectSocket(i1, watcher.token);
    const isStranded = (frame: ServerFrame) => frame.type === 'presence' && frame.userId === stranded.user.id;
    await Promise.all([connectSocket(i3, stranded.token), connectSocket(i3, stranded.token)]);
    expect(await watching.next(isStranded, 5_000, 'online')).toMatchObject({ status: 'online' });

    const killedAt = Date.now();
    await cluster.killInstance(2, 'SIGKILL');
    expect(await watching.next(isStranded, 20_000, 'offline')).toMatchObject({ status: 'offline' });
    // The contract's 15 s, with some slack for a loaded two-core machine.
    expect(Date.now() - killedAt).toBeLessThan(17_000);
    expect(watching.frames.filter(isStranded)).toHaveLength(2);
    await watching.close();
  }, 60_000);
});
