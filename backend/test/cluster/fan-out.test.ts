/**
 * Three instances behind nginx, one room, people connected to every instance (directly, and
 * through the balancer on both of its ports): whatever instance a message is sent through,
 * every member receives it exactly once and in seq order; concurrent sends through all
 * instances get gapless seqs; a logout on one instance ends the session's sockets on all.
 */
import type { Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  api,
  connectSocket,
  createRoom,
  expectStatus,
  register,
  type Socket,
  uniqueName,
  waitForCompletion,
  wholeLog,
} from '../support/client.js';
import { clusterUnavailable, startCluster, type TestCluster } from '../support/cluster.js';
import { joinRoom } from '../support/rooms.js';
import {
  allCompleted,
  eventually,
  messageCounts,
  Reader,
  type Refusals,
  type Submission,
  sendLoad,
  sleep,
} from './traffic.js';

const skip = clusterUnavailable('test/cluster/fan-out.test.ts');

let cluster: TestCluster;

beforeAll(async () => {
  if (skip) return;
  cluster = await startCluster({ env: { RATE_LIMIT_SENDS_PER_MINUTE: '0' } });
});

afterAll(async () => {
  await cluster?.dispose();
});

/** Registers `count` people through the balancer and has them join `room`. */
async function members(owner: Account, room: Room, count: number): Promise<Account[]> {
  const people = [owner];
  for (let i = 1; i < count; i += 1) {
    const person = await register(cluster, uniqueName('member'));
    await joinRoom(person, room.id);
    people.push(person);
  }
  return people;
}

describe.skipIf(skip)('three instances behind a balancer', () => {
  it('delivers every message to every member exactly once and in seq order, whichever instance it went through', async () => {
    const owner = await register(cluster, uniqueName('owner'));
    const room = await createRoom(owner, { name: 'Cluster fan-out', visibility: 'public' });
    const people = await members(owner, room, 6);
    const [i1, i2, i3] = cluster.instances;
    if (!i1 || !i2 || !i3) throw new Error('expected three instances');
    // One reader per way in: each instance's /ws and WS_PORT, and both balancer ports.
    const ways = [
      { name: 'instance-1 /ws', target: i1, via: 'http' },
      { name: 'instance-2 WS_PORT', target: i2, via: 'wsPort' },
      { name: 'instance-3 /ws', target: i3, via: 'http' },
      { name: 'balancer /ws', target: cluster, via: 'http' },
      { name: 'balancer WS_PORT', target: cluster, via: 'wsPort' },
      { name: 'instance-1 WS_PORT', target: i1, via: 'wsPort' },
    ] as const;
    const readers = await Promise.all(
      ways.map((way, index) =>
        Reader.open(way.name, way.target, people[index] as Account, room.id, { via: way.via }),
      ),
    );
    try {
      // Four senders, each sending through all three instances in turn and the balancer.
      const refusals: Refusals = new Map();
      const submissions = await sendLoad({
        targets: [i1, i2, i3, cluster],
        senders: people.slice(0, 4),
        roomId: room.id,
        perSender: 12,
        prefix: 'fan',
        refusals,
      });
      const senderOf = (submission: Submission) =>
        people[Number(submission.text.split(' ')[1]?.split('-')[0])] as Account;
      const jobs = await allCompleted(senderOf, submissions);
      const lastSeq = Math.max(...jobs.map((job) => job.result?.seq ?? 0));

      for (const reader of readers) {
        await eventually(
          `${reader.name} receives every message`,
          () => reader.lastSeq() >= lastSeq,
          15_000,
          () => `last seq ${reader.lastSeq()} of ${lastSeq}`,
        );
        reader.expectGaplessUpTo(lastSeq);
        expect([...messageCounts(reader.events(), 'fan ').values()].every((count) => count === 1)).toBe(true);
        expect(
          reader
            .texts()
            .filter((text) => text.startsWith('fan '))
            .sort(),
        ).toEqual(submissions.map((submission) => submission.text).sort());
      }
      expect(refusals.size, `refusals: ${JSON.stringify([...refusals])}`).toBe(0);
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
    }
  }, 120_000);

  it('gives concurrent sends to one room through every instance gapless seqs', async () => {
    const owner = await register(cluster, uniqueName('owner'));
    const room = await createRoom(owner, { name: 'Cluster seqs', visibility: 'public' });
    const people = await members(owner, room, 3);
    const before = (await wholeLog(owner, room.id)).at(-1)?.seq ?? 0;
    const targets = [...cluster.instances, cluster];

    // Everyone at once, through every way in, 60 sends in flight together.
    const submissions = await Promise.all(
      Array.from({ length: 60 }, async (_, n) => {
        const person = people[n % people.length] as Account;
        const target = targets[n % targets.length] as TestCluster;
        const response = await api(target, person.token).post<{ job: { id: string } }>('/jobs', {
          type: 'message',
          roomId: room.id,
          text: `burst ${n}`,
        });
        return { person, id: expectStatus(response, 202, `burst ${n}`).body.job.id };
      }),
    );
    const jobs = [];
    for (const submission of submissions)
      jobs.push(await waitForCompletion(submission.person, submission.id));

    const seqs = jobs.map((job) => job.result.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => before + 1 + i));
    const log = await wholeLog(owner, room.id);
    expect(log.map((event) => event.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
    const counts = messageCounts(log, 'burst ');
    expect(counts.size).toBe(60);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  }, 90_000);

  it('closes the sockets of a session on every instance when it logs out on one (4001)', async () => {
    const person = await register(cluster, uniqueName('leaver'));
    const [i1, i2, i3] = cluster.instances;
    if (!i1 || !i2 || !i3) throw new Error('expected three instances');
    const sockets: Socket[] = await Promise.all([
      connectSocket(i1, person.token),
      connectSocket(i2, person.token),
      connectSocket(i3, person.token, { via: 'wsPort' }),
      connectSocket(cluster, person.token),
    ]);

    const loggedOutAt = Date.now();
    expectStatus(await api(i1, person.token).post('/auth/logout'), 204, 'logout on instance-1');

    // The token stops working at once, everywhere.
    for (const instance of [i2, i3]) {
      expect((await api(instance, person.token).get('/me')).status, `GET /me on ${instance.name}`).toBe(401);
    }
    const closes = await Promise.all(
      sockets.map((socket) => Promise.race([socket.closed, sleep(5_000).then(() => undefined)])),
    );
    expect(closes.map((close) => close?.code)).toEqual([4001, 4001, 4001, 4001]);
    // The contract says within a second; a loaded two-core machine gets some slack.
    expect(Date.now() - loggedOutAt).toBeLessThan(3_000);
  }, 30_000);
});
