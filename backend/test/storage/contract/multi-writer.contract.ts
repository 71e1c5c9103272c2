/**
 * What must hold when several instances write to one store at the same time. Each peer is an
 * instance with connections of its own (a process per SQLite connection, a pool per PostgreSQL
 * peer), and peers start each operation together, so these races really run: one connection
 * behind one mutex would pass them all and prove nothing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../../src/core/ids.js';
import type { Database } from '../../../src/core/ports/database.js';
import type { JobRecord, UserRecord } from '../../../src/core/ports/records.js';
import { iso, jobRecord, refOf, seedRoom, userRecord } from '../fixtures.js';
import { type Peer, runTogether } from '../peers/peer.js';
import type { Claim } from '../peers/peer-operations.js';
import { openStore } from '../store-location.js';
import type { StorageTarget } from './storage-target.js';

const PEERS = 3;

const claimOf = (job: JobRecord): Claim => ({ id: job.id, attempts: job.attempts, roomId: job.roomId });

export function describeMultiWriterContract(target: StorageTarget): void {
  describe(`Database contract with ${PEERS} instances at once: ${target.name}`, () => {
    let peers: Peer[] = [];
    let db: Database;
    let user: UserRecord;
    let roomId: string;

    beforeAll(async () => {
      peers = await Promise.all(Array.from({ length: PEERS }, () => target.startPeer()));
    });

    afterAll(async () => {
      await Promise.all(peers.map((peer) => peer.stop()));
    });

    beforeEach(async () => {
      const location = await target.newStore();
      db = await openStore(location);
      await Promise.all(peers.map((peer) => peer.open(location)));
      user = userRecord();
      await db.users.insert(user);
      roomId = await seedRoom(db, user);
    });

    afterEach(async () => {
      await db.close();
    });

    it('migrates a new store once when every instance opens it at the same moment', async () => {
      const location = await target.newStore();
      await runTogether(peers, async (peer, _, startAt) => {
        await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()));
        await peer.open(location);
      });
      const roles = await runTogether(peers, (peer, _, startAt) => peer.run(startAt, 'signUp', userRecord()));
      expect(roles.filter((role) => role === 'admin')).toHaveLength(1);
    });

    it('gives appends from every instance gapless, unique seqs', async () => {
      const perPeer = 25;
      const seqs = await runTogether(peers, (peer, _, startAt) =>
        peer.run(startAt, 'appendEvents', roomId, refOf(user), perPeer),
      );
      const total = perPeer * PEERS;
      const all = seqs.flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      // Each instance saw its own seqs rise: a seq is taken in commit order.
      for (const own of seqs) expect([...own].sort((a, b) => a - b)).toEqual(own);
      expect((await db.events.listAfter(roomId, 0, total + 1)).map((event) => event.seq)).toEqual(all);
      expect((await db.rooms.findById(roomId))?.lastSeq).toBe(total);
    });

    it('makes one job of one idempotency key submitted to every instance at once', async () => {
      const keys = Array.from({ length: 10 }, (_, index) => `key-${index}`);
      const results = await runTogether(peers, async (peer, _, startAt) => {
        const submitted = keys.map((key) =>
          peer.run(startAt, 'insertJob', jobRecord(user.id, roomId, { key })),
        );
        return Promise.all(submitted);
      });
      for (const [index, key] of keys.entries()) {
        const forKey = results.map((ofPeer) => ofPeer[index]);
        expect(forKey.filter((result) => result?.inserted)).toHaveLength(1);
        const stored = await db.jobs.findByIdempotencyKey(user.id, key);
        expect(new Set(forKey.map((result) => result?.id))).toEqual(new Set([stored?.id]));
      }
    });

    it('redeems each WebSocket ticket on one instance only', async () => {
      const sessionId = newId();
      await db.sessions.insert({
        id: sessionId,
        userId: user.id,
        tokenHash: `t-${sessionId}`,
        createdAt: iso(),
        expiresAt: iso(60_000),
        revokedAt: null,
      });
      const tickets = Array.from({ length: 20 }, (_, index) => `ticket-${index}`);
      for (const ticketHash of tickets) {
        await db.tickets.insert({ ticketHash, sessionId, userId: user.id, expiresAt: iso(60_000) });
      }
      const redeemed = await runTogether(peers, (peer, _, startAt) =>
        Promise.all(tickets.map((ticket) => peer.run(startAt, 'consumeTicket', ticket))),
      );
      for (const index of tickets.keys()) {
        expect(redeemed.filter((ofPeer) => ofPeer[index])).toHaveLength(1);
      }
    });

    for (const how of ['one by one', 'in batches'] as const) {
      it(`lets each job be claimed ${how} by one instance, its attempt counted once`, async () => {
        const jobs = Array.from({ length: 60 }, (_, index) =>
          jobRecord(user.id, roomId, { runAt: iso(-60_000 + index) }),
        );
        for (const job of jobs) await db.jobs.insert(job);
        const claims = (
          await runTogether(peers, (peer, _, startAt) => peer.run(startAt, 'claimAll', how, 60_000))
        ).flat();
        expect(claims.map((claim) => claim.id).sort()).toEqual(jobs.map((job) => job.id).sort());
        expect(claims.every((claim) => claim.attempts === 1)).toBe(true);
        const held = await db.jobs.attemptsOf(jobs.map((job) => job.id));
        expect([...held.values()].every((job) => job.status === 'processing' && job.attempts === 1)).toBe(
          true,
        );
      });
    }

    it('lets a worker whose lease ran out complete nothing once another took the job over', async () => {
      const rooms = [roomId, ...(await Promise.all(Array.from({ length: 3 }, () => seedRoom(db, user))))];
      const jobs = rooms.map((room) => jobRecord(user.id, room));
      for (const job of jobs) await db.jobs.insert(job);
      const stale = (await db.jobs.claimDueBatch('message', iso(), jobs.length, iso(-1))).map(claimOf);
      const [slow, other] = peers as [Peer, Peer];
      const startAt = Date.now() + 100;
      // The first holder checks its claim and writes the event, then is slow to complete; while
      // it lingers, another instance takes the lapsed jobs over and completes them too.
      const [late, takenOver] = await Promise.all([
        Promise.all(stale.map((claim) => slow.run(startAt, 'completeWithEvent', claim, refOf(user), 300))),
        other
          .run(startAt + 150, 'claimAll', 'one by one', 60_000)
          .then((claims) =>
            Promise.all(claims.map((claim) => other.run(0, 'completeWithEvent', claim, refOf(user), 0))),
          ),
      ]);
      const completed = [...late, ...takenOver].filter((outcome) => outcome === 'completed');
      expect(completed).toHaveLength(jobs.length);
      for (const room of rooms) expect(await db.events.listAfter(room, 0, 10)).toHaveLength(1);
      for (const job of jobs)
        expect(await db.jobs.find(job.id)).toMatchObject({ status: 'completed', resultSeq: 1 });
    });

    it('lets one completeMany win each job when instances take over each other’s lapsed batches', async () => {
      const rooms = [roomId, ...(await Promise.all(Array.from({ length: 3 }, () => seedRoom(db, user))))];
      const jobs = Array.from({ length: 48 }, (_, index) =>
        jobRecord(user.id, rooms[index % rooms.length] as string, { runAt: iso(-60_000 + index) }),
      );
      for (const job of jobs) await db.jobs.insert(job);
      const results = await runTogether(peers, (peer, _, startAt) =>
        peer.run(startAt, 'raceCompleteMany', refOf(user), 8, 50),
      );
      // The race really ran: some batch was taken over before it could complete.
      expect(results.reduce((sum, result) => sum + result.lostBatches, 0)).toBeGreaterThan(0);
      // Exactly one completion per job, and it was made under the job's latest claim.
      const completed = results.flatMap((result) => result.completed);
      expect(completed.map((claim) => claim.id).sort()).toEqual(jobs.map((job) => job.id).sort());
      for (const claim of completed) {
        const job = await db.jobs.find(claim.id);
        expect(job).toMatchObject({
          status: 'completed',
          attempts: claim.attempts,
          resultMessageId: claim.id,
        });
      }
      // Every lost batch rolled back whole: each room holds one event per job, pointing at it.
      for (const room of rooms) {
        const events = await db.events.listAfter(room, 0, 1_000);
        const ofRoom = jobs.filter((job) => job.roomId === room);
        expect(events.map((event) => event.seq)).toEqual(ofRoom.map((_, i) => i + 1));
        for (const event of events) {
          const { messageId } = event.data as { messageId: string };
          expect((await db.jobs.find(messageId))?.resultSeq).toBe(event.seq);
        }
      }
    });

    it('makes exactly one of simultaneous first sign-ups the instance admin', async () => {
      // The user seeded above was inserted directly, without claiming the first account.
      const roles = await runTogether(peers, (peer, _, startAt) =>
        Promise.all(Array.from({ length: 5 }, () => peer.run(startAt, 'signUp', userRecord()))),
      );
      expect(roles.flat().filter((role) => role === 'admin')).toHaveLength(1);
      expect((await db.users.list()).filter((account) => account.role === 'admin')).toHaveLength(1);
    });

    it('runs message batches of several instances over the same rooms without a deadlock', async () => {
      const rooms = [roomId, ...(await Promise.all(Array.from({ length: 5 }, () => seedRoom(db, user))))];
      // Due order walks the rooms forwards, then backwards, then forwards…, a walk per batch:
      // run in due order, batches running at once would lock the same rooms in opposite orders.
      const jobs = Array.from({ length: 120 }, (_, index) => {
        const lap = Math.floor(index / rooms.length);
        const step = index % rooms.length;
        const room = rooms[lap % 2 === 0 ? step : rooms.length - 1 - step] as string;
        return jobRecord(user.id, room, { runAt: iso(-60_000 + index) });
      });
      for (const job of jobs) await db.jobs.insert(job);
      const done = await runTogether(peers, (peer, _, startAt) =>
        peer.run(startAt, 'runMessageBatches', refOf(user), rooms.length),
      );
      expect(done.reduce((sum, count) => sum + count, 0)).toBe(jobs.length);
      for (const room of rooms) {
        const events = await db.events.listAfter(room, 0, 1_000);
        expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
      }
    });

    /** A message in the seeded room, stored directly (its seq is not in the log: not needed here). */
    async function seedMessage(): Promise<string> {
      const id = newId();
      const seq = await db.transaction((tx) => tx.rooms.takeNextSeq(roomId));
      const record = { id, roomId, seq, authorId: user.id, text: 'react', replyTo: null, fileId: null };
      await db.messages.insert(
        { ...record, createdAt: iso(), editedAt: null, deletedAt: null },
        refOf(user),
        undefined,
      );
      return id;
    }

    it('keeps one reaction and one event when every instance adds the same reaction at once', async () => {
      for (let round = 0; round < 5; round++) {
        const messageId = await seedMessage();
        const { lastSeq: before = 0 } = (await db.rooms.findById(roomId)) ?? {};
        const outcomes = await runTogether(peers, (peer, _, startAt) =>
          Promise.all(
            Array.from({ length: 3 }, () =>
              peer.run(startAt, 'addReaction', messageId, refOf(user), '👍', 40),
            ),
          ),
        );
        expect(outcomes.flat().filter((outcome) => outcome === 'added')).toHaveLength(1);
        expect((await db.reactions.ofMessages([messageId])).get(messageId)).toEqual([
          { emoji: '👍', count: 1, users: [refOf(user)] },
        ]);
        const events = await db.events.listAfter(roomId, before, 100);
        expect(events.map((event) => event.type)).toEqual(['reaction.added']);
      }
    });

    it('never lets instances adding different new emoji at once take a message over the cap', async () => {
      for (let round = 0; round < 5; round++) {
        const messageId = await seedMessage();
        expect(await peers[0]?.run(Date.now(), 'addReaction', messageId, refOf(user), '👍', 2)).toBe('added');
        const candidates = ['🎉', '❤️', '😂', '😮', '🙏', '🔥'];
        const outcomes = await runTogether(peers, (peer, index, startAt) =>
          Promise.all(
            [0, 1].map((offset) =>
              peer.run(
                startAt,
                'addReaction',
                messageId,
                refOf(user),
                candidates[index * 2 + offset] as string,
                2,
              ),
            ),
          ),
        );
        expect(outcomes.flat().filter((outcome) => outcome === 'added')).toHaveLength(1);
        expect(await db.reactions.distinctEmojiOf(messageId)).toBe(2);
      }
    });

    it('leases a duty to one instance at a time, new or after its holder’s lease ran out', async () => {
      for (let round = 0; round < 10; round++) {
        const duty = `duty-${round}`;
        if (round % 2 === 1) expect(await db.duties.tryAcquire(duty, 'gone', iso(), iso(-1))).toBe(true);
        const acquired = await runTogether(peers, (peer, index, startAt) =>
          peer.run(startAt, 'tryAcquireDuty', duty, `instance-${index}`, 60_000),
        );
        expect(acquired.filter(Boolean)).toHaveLength(1);
      }
    });
  });
}
