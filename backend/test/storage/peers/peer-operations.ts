/**
 * What a peer (another instance on the same store) does in the multi-writer contract tests.
 * Named functions of plain-data arguments and results, so a peer in another process can run
 * them by name. Each mirrors how the core uses the repositories, not how a test would like to.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { UserRef, UserRole } from '@parley/protocol';
import { newId } from '../../../src/core/ids.js';
import type { Database, Repositories } from '../../../src/core/ports/database.js';
import type { JobRecord, UserRecord } from '../../../src/core/ports/records.js';
import { appendTestEvent, iso } from '../fixtures.js';

/** Appends one event to a room's log in the caller's transaction; returns its seq. */
async function appendTo(
  tx: Repositories,
  roomId: string,
  actor: UserRef,
  messageId: string,
): Promise<number> {
  const event = await appendTestEvent(tx, roomId, actor, { type: 'message.deleted', data: { messageId } });
  return event.seq;
}

/** A reaction that would take a message over its cap of distinct emoji: rolls back. */
class OverTheCap extends Error {
  override readonly name = 'OverTheCap';
}

/** A claim that was lost before it could be completed: rolls its transaction back. */
class ClaimLost extends Error {
  override readonly name = 'ClaimLost';
}

/** The processor's check that its claims still hold, read at the start of its transaction. */
async function assertHeld(tx: Repositories, claims: { id: string; attempts: number }[]): Promise<void> {
  const held = await tx.jobs.attemptsOf(claims.map((claim) => claim.id));
  const lost = claims.find((claim) => {
    const current = held.get(claim.id);
    return current?.status !== 'processing' || current.attempts !== claim.attempts;
  });
  if (lost) throw new ClaimLost(lost.id);
}

export interface Claim {
  id: string;
  attempts: number;
  roomId: string;
}

export const peerOperations = {
  /** Appends `count` events to a room, one transaction each; returns the seqs they got. */
  async appendEvents(db: Database, roomId: string, actor: UserRef, count: number): Promise<number[]> {
    const seqs: number[] = [];
    for (let index = 0; index < count; index++) {
      seqs.push(await db.transaction((tx) => appendTo(tx, roomId, actor, `m${index}`)));
    }
    return seqs;
  },

  /** Submits a job; returns whether it was inserted and the id of the job that holds its key. */
  async insertJob(db: Database, job: JobRecord): Promise<{ inserted: boolean; id: string }> {
    const result = await db.jobs.insert(job);
    return result.inserted ? { inserted: true, id: job.id } : { inserted: false, id: result.existing.id };
  },

  async consumeTicket(db: Database, ticketHash: string): Promise<boolean> {
    return (await db.tickets.consume(ticketHash, iso())) !== undefined;
  },

  /** Claims due message jobs until none is left, one by one or in batches; returns the claims. */
  async claimAll(db: Database, how: 'one by one' | 'in batches', leaseMs: number): Promise<Claim[]> {
    const claims: Claim[] = [];
    for (;;) {
      const claimed =
        how === 'in batches'
          ? await db.jobs.claimDueBatch('message', iso(), 5, iso(leaseMs))
          : [await db.jobs.claimNext(iso(), iso(leaseMs), ['message'])].filter((job) => job !== undefined);
      if (claimed.length === 0) return claims;
      claims.push(...claimed.map((job) => ({ id: job.id, attempts: job.attempts, roomId: job.roomId })));
    }
  },

  /**
   * Runs due message jobs as the job processor does: claims a batch, then in one transaction
   * checks the claims are still held (a read before the writes, as the processor does), appends
   * an event per job in the order the batch came in and completes it under its claim. Returns
   * how many jobs it completed.
   */
  async runMessageBatches(db: Database, actor: UserRef, batchSize: number): Promise<number> {
    let completed = 0;
    for (;;) {
      const batch = await db.jobs.claimDueBatch('message', iso(), batchSize, iso(60_000));
      if (batch.length === 0) return completed;
      await db.transaction(async (tx) => {
        await assertHeld(tx, batch);
        for (const job of batch) {
          const seq = await appendTo(tx, job.roomId, actor, job.id);
          if (!(await tx.jobs.complete(job, { messageId: job.id, seq }, iso()))) throw new ClaimLost(job.id);
        }
      });
      completed += batch.length;
    }
  },

  /**
   * Completes a claimed job with its event in one transaction, as the processor commits a job
   * (checking the claim first, then writing); a lost claim rolls the event back. `lingerMs` is
   * how long the worker is slow between writing the event and completing the job.
   */
  async completeWithEvent(
    db: Database,
    claim: Claim,
    actor: UserRef,
    lingerMs: number,
  ): Promise<'completed' | 'lost'> {
    try {
      await db.transaction(async (tx) => {
        await assertHeld(tx, [claim]);
        const seq = await appendTo(tx, claim.roomId, actor, claim.id);
        await sleep(lingerMs);
        if (!(await tx.jobs.complete(claim, { messageId: claim.id, seq }, iso())))
          throw new ClaimLost(claim.id);
      });
      return 'completed';
    } catch (error) {
      if (error instanceof ClaimLost) return 'lost';
      throw error;
    }
  },

  /**
   * Runs due message jobs in batches completed by `completeMany`, as the batch path commits a
   * run of plain messages, racing other instances for the same jobs: in the first round this
   * instance's claims lapse at once (a worker too slow for its lease), so another instance may
   * take them over while it lingers between its claim and its commit; later claims hold for a
   * minute, so the race ends. Then in one transaction it appends an event per job and completes
   * the batch with one `completeMany`; a batch of which one job is no longer held rolls back.
   *
   * The processor's check of its claims at the start of its transaction is left out here: a
   * take-over after that check looks to `completeMany` just the same, and without it the
   * take-over lands before `completeMany` on every engine (on SQLite a transaction holds the
   * file, so nothing could come between the check and the completion), so this tests the
   * guard in `completeMany` alone. Returns the claims it completed and how many batches it lost.
   */
  async raceCompleteMany(
    db: Database,
    actor: UserRef,
    batchSize: number,
    lingerMs: number,
  ): Promise<{ completed: { id: string; attempts: number }[]; lostBatches: number }> {
    const completed: { id: string; attempts: number }[] = [];
    let lostBatches = 0;
    for (let round = 0; ; round++) {
      const leaseUntil = round === 0 ? iso(-1) : iso(60_000);
      const batch: JobRecord[] = [];
      while (batch.length < batchSize) {
        const job = await db.jobs.claimNext(iso(), leaseUntil, ['message']);
        if (!job) break;
        batch.push(job);
      }
      if (batch.length === 0) return { completed, lostBatches };
      // Room by room, as claimDueBatch orders a batch, so that batches never lock the same rooms
      // in opposite orders (a deadlock on PostgreSQL).
      batch.sort((a, b) => (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0));
      await sleep(lingerMs);
      try {
        await db.transaction(async (tx) => {
          const completions = [];
          for (const job of batch) {
            const seq = await appendTo(tx, job.roomId, actor, job.id);
            completions.push({ id: job.id, attempts: job.attempts, messageId: job.id, seq });
          }
          if (!(await tx.jobs.completeMany(completions, iso()))) throw new ClaimLost(batch[0]!.id);
        });
        completed.push(...batch.map(({ id, attempts }) => ({ id, attempts })));
      } catch (error) {
        if (!(error instanceof ClaimLost)) throw error;
        lostBatches++;
      }
    }
  },

  /** Signs a user up as the accounts service does; returns the role the user got. */
  async signUp(db: Database, user: UserRecord): Promise<UserRole> {
    return db.transaction(async (tx) => {
      const role: UserRole = (await tx.users.claimFirstAccount(user.id)) ? 'admin' : 'member';
      if (!(await tx.users.insert({ ...user, role }))) throw new Error(`username ${user.username} taken`);
      return role;
    });
  },

  /**
   * Reacts to a message as the reactions use case does, in one transaction: lock the message,
   * insert the reaction (the unique key decides whether it is new), refuse it when the message
   * would then carry more than `cap` distinct emoji (a rollback), append its event when new.
   */
  async addReaction(
    db: Database,
    messageId: string,
    actor: UserRef,
    emoji: string,
    cap: number,
  ): Promise<'added' | 'already there' | 'over the cap'> {
    try {
      return await db.transaction(async (tx) => {
        const target = await tx.reactions.lockMessage(messageId);
        if (!target) throw new Error(`no message ${messageId}`);
        const reaction = {
          id: newId(),
          messageId,
          roomId: target.roomId,
          userId: actor.id,
          emoji,
          at: iso(),
        };
        if (!(await tx.reactions.add(reaction))) return 'already there';
        if ((await tx.reactions.distinctEmojiOf(messageId)) > cap) throw new OverTheCap();
        await appendTestEvent(tx, target.roomId, actor, {
          type: 'reaction.added',
          data: { messageId, emoji, user: actor },
        });
        return 'added';
      });
    } catch (error) {
      if (error instanceof OverTheCap) return 'over the cap';
      throw error;
    }
  },

  async tryAcquireDuty(db: Database, name: string, holderId: string, leaseMs: number): Promise<boolean> {
    return db.duties.tryAcquire(name, holderId, iso(), iso(leaseMs));
  },
};

export type PeerOperations = typeof peerOperations;
export type OperationName = keyof PeerOperations;
/** An operation's arguments after the database. */
export type OperationArgs<N extends OperationName> =
  Parameters<PeerOperations[N]> extends [Database, ...infer Rest] ? Rest : never;
export type OperationResult<N extends OperationName> = Awaited<ReturnType<PeerOperations[N]>>;
