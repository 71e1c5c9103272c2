/**
 * A unit of work that PostgreSQL rolls back to break a deadlock is run again, so two use cases
 * that lock the same rows in opposite orders (an owner leaving promotes an heir while the
 * delivery cursors of those members are saved) both succeed instead of one answering 500.
 * Real concurrency: the production adapter's pool gives each transaction its own connection.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/core/ports/database.js';
import { UnitOfWork } from '../../src/core/unit-of-work.js';
import { InProcessFanOut } from '../../src/fanout/in-process-fan-out.js';
import { startPostgresForTests } from '../support/postgres.js';
import { iso, seedRoom, userRecord } from './fixtures.js';
import { openStore } from './store-location.js';

const server = await startPostgresForTests('storage/postgres-deadlock.test.ts');
const stores: Database[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
  await server?.stop();
});

describe.skipIf(!server)('a deadlock on PostgreSQL', () => {
  it('is broken by PostgreSQL and healed by running the losing unit of work again', async () => {
    if (!server) return;
    const db = await openStore({ engine: 'postgres', url: await server.createDatabase() });
    stores.push(db);
    const [first, second] = [userRecord(), userRecord()];
    for (const user of [first, second]) await db.users.insert(user);
    const roomId = await seedRoom(db, first);
    await db.memberships.insert({ roomId, userId: second.id, role: 'member', joinedAt: iso(), ackSeq: 0 });

    const fanOut = new InProcessFanOut();
    const published: string[] = [];
    fanOut.subscribe((message) => published.push(message.kind));
    const work = new UnitOfWork(db, fanOut);

    // Each takes its first row, waits until the other has its own, then asks for the other's.
    let holding = 0;
    let bothHold: () => void = () => {};
    const bothHolding = new Promise<void>((resolve) => {
      bothHold = resolve;
    });
    let attempts = 0;
    const crossing = (mine: string, theirs: string, role: 'admin' | 'member') =>
      work.run(async (tx) => {
        attempts += 1;
        await tx.memberships.setRole(roomId, mine, role);
        if (++holding === 2) bothHold();
        await bothHolding;
        await tx.memberships.setRole(roomId, theirs, role);
        tx.publishAfterCommit({ kind: 'jobs-queued' });
        return role;
      });

    const results = await Promise.allSettled([
      crossing(first.id, second.id, 'admin'),
      crossing(second.id, first.id, 'member'),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    // One of them lost the deadlock and ran a second time; each published once, after its commit.
    expect(attempts).toBe(3);
    expect(published).toEqual(['jobs-queued', 'jobs-queued']);
    const roles = new Set((await db.memberships.list(roomId)).map((member) => member.role));
    expect(roles.size).toBe(1); // whichever committed last set both rows
  });
});
