/**
 * `kill -9` of one instance while people send through the balancer and read on every instance:
 * the readers it held reconnect through the balancer and resume from their cursor, nothing is
 * lost or doubled; every job answered 202 completes exactly once (another instance takes over
 * the ones the dead instance held once their lease runs out).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, createRoom, register, uniqueName, wholeLog } from '../support/client.js';
import { clusterUnavailable, startCluster, type TestCluster } from '../support/cluster.js';
import { joinRoom } from '../support/rooms.js';
import {
  allCompleted,
  eventually,
  messageCounts,
  Reader,
  type Refusals,
  sendLoad,
  sleep,
} from './traffic.js';

const skip = clusterUnavailable('test/cluster/instance-crash.test.ts');
const VICTIM = 1; // instance-2

let cluster: TestCluster;

beforeAll(async () => {
  if (skip) return;
  // Short leases: jobs the killed instance held are taken over after 2 s, not the default.
  cluster = await startCluster({ env: { RATE_LIMIT_SENDS_PER_MINUTE: '0', JOB_LEASE_MS: '2000' } });
});

afterAll(async () => {
  await cluster?.dispose();
});

describe.skipIf(skip)('an instance killed under load', () => {
  it('loses and doubles nothing: its readers resume through the balancer, every accepted job completes once', async () => {
    const owner = await register(cluster, uniqueName('owner'));
    const room = await createRoom(owner, { name: 'Crash under load', visibility: 'public' });
    const senders: Account[] = [owner];
    for (let i = 0; i < 2; i += 1) {
      const sender = await register(cluster, uniqueName('sender'));
      await joinRoom(sender, room.id);
      senders.push(sender);
    }
    const victim = cluster.instances[VICTIM];
    const [first, , survivor] = cluster.instances;
    if (!first || !victim || !survivor) throw new Error('expected three instances');
    // Two readers on the instance that dies (both of its ports), one on a survivor, one via the balancer.
    const readers = [
      await Reader.open('victim /ws', victim, owner, room.id),
      await Reader.open('victim WS_PORT', victim, senders[1] as Account, room.id, { via: 'wsPort' }),
      await Reader.open('survivor', survivor, senders[2] as Account, room.id),
      await Reader.open('balancer', cluster, owner, room.id, { via: 'wsPort' }),
    ];

    try {
      const refusals: Refusals = new Map();
      let accepted = 0;
      let killed: Promise<void> | undefined;
      const load = sendLoad({
        // Through the balancer (it routes around the dead instance) and straight to the survivors.
        targets: [cluster, first, survivor],
        senders,
        roomId: room.id,
        perSender: 40,
        prefix: 'crash',
        refusals,
        pauseMs: 10,
        onAccepted: () => {
          accepted += 1;
          if (accepted === 30) killed = cluster.killInstance(VICTIM, 'SIGKILL');
        },
      });
      const submissions = await load;
      await killed;
      expect(killed, 'the instance was killed during the load').toBeDefined();

      // Its readers see their sockets drop, and come back through the balancer with a resume;
      // so does the balancer's reader if the balancer had put it on that instance.
      for (const reader of readers.slice(0, 2)) {
        await eventually(`${reader.name} notices the instance died`, () => reader.isClosed(), 10_000);
      }
      await sleep(500);
      for (const reader of readers) {
        if (await reader.isClosed()) await reader.reconnect(cluster);
      }

      const senderOf = (submission: { text: string }) =>
        senders[Number(submission.text.split(' ')[1]?.split('-')[0])] as Account;
      const jobs = await allCompleted(senderOf, submissions);
      const lastSeq = Math.max(...jobs.map((job) => job.result?.seq ?? 0));
      expect(new Set(jobs.map((job) => job.result?.seq)).size, 'one seq per job').toBe(jobs.length);

      const log = await wholeLog(owner, room.id);
      const counts = messageCounts(log, 'crash ');
      expect(counts.size, 'one message per idempotency key').toBe(submissions.length);
      expect(
        [...counts.values()].every((count) => count === 1),
        'no message twice in the log',
      ).toBe(true);

      for (const reader of readers) {
        await eventually(
          `${reader.name} has every event up to seq ${lastSeq}`,
          () => reader.lastSeq() >= lastSeq,
          15_000,
          () => `at ${reader.lastSeq()}`,
        );
        reader.expectGaplessUpTo(lastSeq);
      }
      console.info(`answers other than 202 while instance-2 died: ${JSON.stringify([...refusals])}`);

      // The instance comes back on its ports and serves again.
      await cluster.restartInstance(VICTIM);
      await sleep(100);
      const health = await fetch(`${victim.httpUrl}/readyz`);
      expect(health.status).toBe(200);
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
    }
  }, 150_000);
});
