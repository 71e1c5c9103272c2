/**
 * The shared services going away under a running cluster. Redis restarted mid-traffic: sending
 * never answers 5xx, live delivery comes back by itself, and what the fan-out lost is filled
 * from the log (on open sockets, or by resume on reconnected ones). PostgreSQL stopped:
 * /readyz and POST /jobs answer 503 with Retry-After; service returns with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  errorOf,
  register,
  request,
  uniqueName,
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
  submitWithRetries,
} from './traffic.js';

const skip = clusterUnavailable('test/cluster/dependencies.test.ts');

let cluster: TestCluster;

beforeAll(async () => {
  if (skip) return;
  // The default send limit (300 a minute) stays on: it is counted in Redis.
  cluster = await startCluster();
});

afterAll(async () => {
  await cluster?.dispose();
});

async function roomWithPeople(count: number) {
  const owner = await register(cluster, uniqueName('owner'));
  const room = await createRoom(owner, { name: `Deps ${uniqueName('room')}`, visibility: 'public' });
  const people: Account[] = [owner];
  for (let i = 1; i < count; i += 1) {
    const person = await register(cluster, uniqueName('member'));
    await joinRoom(person, room.id);
    people.push(person);
  }
  return { room, people };
}

describe.skipIf(skip)('Redis and PostgreSQL outages', () => {
  it('recovers from a Redis restart mid-traffic by itself, with no 5xx and no gap', async () => {
    const { room, people } = await roomWithPeople(3);
    const [i1, i2, i3] = cluster.instances;
    if (!i1 || !i2 || !i3) throw new Error('expected three instances');
    const readers = [
      await Reader.open('instance-1', i1, people[0] as Account, room.id),
      await Reader.open('instance-2', i2, people[1] as Account, room.id, { via: 'wsPort' }),
      await Reader.open('instance-3', i3, people[2] as Account, room.id),
      await Reader.open('balancer', cluster, people[0] as Account, room.id),
    ];
    try {
      const refusals: Refusals = new Map();
      let accepted = 0;
      let outage: Promise<void> | undefined;
      const submissions = await sendLoad({
        targets: [cluster, i1, i2, i3],
        senders: people,
        roomId: room.id,
        perSender: 25,
        prefix: 'redis',
        refusals,
        pauseMs: 40,
        onAccepted: () => {
          accepted += 1;
          if (accepted === 20) {
            outage = (async () => {
              await cluster.stopRedis();
              await sleep(1_500);
              await cluster.startRedis();
            })();
          }
        },
      });
      await outage;
      expect(outage, 'Redis was restarted during the load').toBeDefined();
      const fiveHundreds = [...refusals].filter(([status]) => status.startsWith('5'));
      expect(fiveHundreds, 'answers 5xx while Redis restarted').toEqual([]);

      // Live delivery is back by itself: a message sent now reaches every reader; a socket the
      // outage closed resumes from its cursor.
      await sleep(1_000);
      for (const reader of readers) {
        if (await reader.isClosed()) await reader.reconnect(cluster);
      }
      const last = await submitWithRetries(
        i1,
        people[0] as Account,
        room.id,
        'redis after',
        'redis-after',
        refusals,
      );
      const all: Submission[] = [...submissions, last];
      const senderOf = (submission: Submission) =>
        submission === last
          ? (people[0] as Account)
          : (people[Number(submission.text.split(' ')[1]?.split('-')[0])] as Account);
      const jobs = await allCompleted(senderOf, all);
      const lastSeq = Math.max(...jobs.map((job) => job.result?.seq ?? 0));
      for (const reader of readers) {
        await eventually(
          `${reader.name} receives everything up to ${lastSeq}`,
          () => reader.lastSeq() >= lastSeq,
          15_000,
          () => `at ${reader.lastSeq()}`,
        );
        reader.expectGaplessUpTo(lastSeq);
      }
      const counts = messageCounts(await wholeLog(people[0] as Account, room.id), 'redis');
      expect(counts.size).toBe(all.length);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
    }
  }, 120_000);

  it('answers 503 with Retry-After while PostgreSQL is down, and serves again when it returns', async () => {
    const { room, people } = await roomWithPeople(2);
    const [sender, reader] = people as [Account, Account];
    const second = cluster.instances[1];
    if (!second) throw new Error('expected three instances');
    const listener = await Reader.open('listener', second, reader, room.id);
    try {
      await cluster.stopPostgres();

      await eventually(
        '/readyz answers 503',
        async () => (await request(cluster, '/readyz')).status === 503,
        15_000,
      );
      for (const target of [cluster, ...cluster.instances]) {
        const response = await request(target, '/jobs', {
          token: sender.token,
          json: { type: 'message', roomId: room.id, text: 'while the database is down' },
          headers: { 'idempotency-key': `pg-down-${target.httpUrl}` },
        });
        expect(response.status, `POST /jobs on ${target.httpUrl}: ${response.text.slice(0, 300)}`).toBe(503);
        expect(errorOf(response).code).toBe('unavailable');
        expect(Number(response.headers.get('retry-after')), 'Retry-After in seconds').toBeGreaterThan(0);
      }

      await cluster.startPostgres();
      await eventually(
        '/readyz answers 200 again',
        async () => (await request(cluster, '/readyz')).status === 200,
        30_000,
      );
      for (const instance of cluster.instances) {
        await eventually(
          `${instance.name} is ready again`,
          async () => (await request(instance, '/readyz')).status === 200,
          30_000,
        );
      }
      const refusals: Refusals = new Map();
      const submission = await submitWithRetries(
        cluster,
        sender,
        room.id,
        'database is back',
        'pg-back',
        refusals,
      );
      const [job] = await allCompleted(() => sender, [submission]);
      const seq = job?.result?.seq ?? 0;
      await eventually('the listener receives it live', () => listener.lastSeq() >= seq, 15_000);
      listener.expectGaplessUpTo(seq);
      // Every instance process lived through it.
      expect(cluster.processes().filter((entry) => entry.role === 'instance' && !entry.running)).toEqual([]);
    } finally {
      await listener.close();
    }
  }, 120_000);
});
