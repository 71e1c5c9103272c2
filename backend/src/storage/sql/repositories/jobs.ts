import type { JobStatus, JobType } from '@parley/protocol';
import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool } from 'kysely';
import type { JobClaim, JobInsertResult, JobsRepository } from '../../../core/ports/database.js';
import type { JobPayload, JobRecord } from '../../../core/ports/records.js';
import { type CompiledStatements, statement } from '../compiled-statements.js';
import type { EngineFeatures } from '../engine-features.js';
import type { GroupCommit } from '../group-commit.js';
import { argumentRows, multiRowStatement, runInChunks } from '../multi-row-statements.js';
import type { JobsTable, Tables } from '../schema.js';

const toJobRecord = (row: Selectable<JobsTable>): JobRecord => ({
  id: row.id,
  userId: row.user_id,
  roomId: row.room_id,
  type: row.type,
  status: row.status,
  payload: JSON.parse(row.payload) as JobPayload,
  idempotencyKey: row.idempotency_key,
  requestHash: row.request_hash,
  attempts: Number(row.attempts),
  maxAttempts: Number(row.max_attempts),
  runAt: row.run_at,
  leaseUntil: row.lease_until,
  errorCode: row.error_code,
  errorMessage: row.error_message,
  resultMessageId: row.result_message_id,
  resultSeq: row.result_seq === null ? null : Number(row.result_seq),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Claim order: a batch runs its jobs room by room, each room's in due order (see claimDueBatch). */
const byRoomThenDue = (a: JobRecord, b: JobRecord): number =>
  compare(a.roomId, b.roomId) || compare(a.runAt, b.runAt) || compare(a.id, b.id);
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A job claimNext may take: queued of one of `queuedTypes` and due, or processing with a lapsed lease. */
const claimable =
  (now: string, queuedTypes: JobType[]) =>
  (eb: ExpressionBuilder<Tables, 'jobs'>): Expression<SqlBool> => {
    const lapsed = eb.and([eb('status', '=', 'processing'), eb('lease_until', '<', now)]);
    if (queuedTypes.length === 0) return lapsed;
    const due = eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now), eb('type', 'in', queuedTypes)]);
    return eb.or([due, lapsed]);
  };

/** The update that starts an attempt: processing, counted, under a lease. */
const attemptStarted = (now: string, leaseUntil: string) => (eb: ExpressionBuilder<Tables, 'jobs'>) => ({
  status: 'processing' as const,
  attempts: eb('attempts', '+', 1),
  lease_until: leaseUntil,
  updated_at: now,
});

/** A new job's row from insertJob's arguments (after the database). */
const newJobRow = (
  id: string,
  userId: string,
  roomId: string,
  type: JobType,
  status: JobStatus,
  payload: string,
  idempotencyKey: string | null,
  requestHash: string | null,
  attempts: number,
  maxAttempts: number,
  runAt: string,
  leaseUntil: string | null,
  createdAt: string,
  updatedAt: string,
  blobKey: string | null,
) => ({
  id,
  user_id: userId,
  room_id: roomId,
  type,
  status,
  payload,
  idempotency_key: idempotencyKey,
  request_hash: requestHash,
  attempts,
  max_attempts: maxAttempts,
  run_at: runAt,
  lease_until: leaseUntil,
  error_code: null,
  error_message: null,
  result_message_id: null,
  result_seq: null,
  created_at: createdAt,
  updated_at: updatedAt,
  failed_at: null,
  blob_key: blobKey,
});
type NewJobArguments = Parameters<typeof newJobRow>;

// Run for every message: compiled once (see compiled-statements.ts).
const insertJob = statement('jobs.insert', (db: Kysely<Tables>, ...args: NewJobArguments) =>
  db
    .insertInto('jobs')
    .values(newJobRow(...args))
    .onConflict((oc) => oc.columns(['user_id', 'idempotency_key']).doNothing()),
);
// Completes only under the caller's claim (status and attempt), so a worker whose lease ran out
// cannot complete a job another worker now holds: it gets no row back and rolls back.
const completeJob = statement(
  'jobs.complete',
  (db: Kysely<Tables>, id: string, attempts: number, messageId: string, seq: number, now: string) =>
    db
      .updateTable('jobs')
      .set({
        status: 'completed',
        result_message_id: messageId,
        result_seq: seq,
        lease_until: null,
        error_code: null,
        error_message: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'processing')
      .where('attempts', '=', attempts)
      .returningAll(),
);

/**
 * insertJob for a chunk of jobs (insertJob's arguments job after job), answering the ids
 * it inserted: a job left out met an existing (user, idempotency key), perhaps one earlier in
 * the same chunk.
 */
const insertJobs = multiRowStatement(
  'jobs.insertMany',
  (rows) =>
    (db, ...args) =>
      db
        .insertInto('jobs')
        .values(argumentRows<NewJobArguments>(args, rows).map((row) => newJobRow(...row)))
        .onConflict((oc) => oc.columns(['user_id', 'idempotency_key']).doNothing())
        .returning('id'),
);

/**
 * completeJob for a chunk of jobs (arguments: now, then id, message id, seq per job): each row
 * gets its own result through CASE on its id. Only rows still `processing` change; the caller
 * checks that each came back with its claim's attempt number (else it rolls back).
 */
const completeJobs = multiRowStatement('jobs.completeMany', (rows) => (db, now, ...args) => {
  const results = argumentRows(args, rows);
  return db
    .updateTable('jobs')
    .set((eb) => {
      let messageIds = eb
        .case('id')
        .when(results[0]![0] as string)
        .then(results[0]![1] as string);
      // PostgreSQL must be told the seq is an integer: a bare parameter in a CASE would be text.
      let seqs = eb
        .case('id')
        .when(results[0]![0] as string)
        .then(eb.cast<number>(eb.val(results[0]![2] as number), 'integer'));
      for (const [id, messageId, seq] of results.slice(1)) {
        messageIds = messageIds.when(id as string).then(messageId as string);
        seqs = seqs.when(id as string).then(eb.cast<number>(eb.val(seq as number), 'integer'));
      }
      return {
        status: 'completed' as const,
        result_message_id: messageIds.end(),
        result_seq: seqs.end(),
        lease_until: null,
        error_code: null,
        error_message: null,
        updated_at: now as string,
      };
    })
    .where(
      'id',
      'in',
      results.map(([id]) => id as string),
    )
    .where('status', '=', 'processing')
    .returningAll();
});

export class SqlJobs implements JobsRepository {
  /** Outside a transaction, inserts from concurrent requests are committed together. */
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly statements: CompiledStatements,
    private readonly features: EngineFeatures,
    private readonly batcher?: GroupCommit<JobRecord, JobInsertResult>,
  ) {}

  insert(job: JobRecord): Promise<JobInsertResult> {
    return this.batcher ? this.batcher.submit(job) : this.insertNow(job);
  }

  async insertNow(job: JobRecord): Promise<JobInsertResult> {
    const result = await this.statements.run(this.db, insertJob, ...insertArguments(job));
    if (Number(result.numAffectedRows ?? 0) === 1) return { inserted: true };
    return this.conflicted(job);
  }

  /**
   * insertNow for many jobs with a few multi-row statements (a group commit's batch): the
   * results in the order given, as one insertNow after the other would give them.
   */
  async insertManyNow(jobs: JobRecord[]): Promise<JobInsertResult[]> {
    const rows = await runInChunks<JobRecord, { id: string }>(
      this.statements,
      this.db,
      insertJobs,
      jobs,
      insertArguments,
    );
    const inserted = new Set(rows.map((row) => row.id));
    const results: JobInsertResult[] = [];
    for (const job of jobs)
      results.push(inserted.has(job.id) ? { inserted: true } : await this.conflicted(job));
    return results;
  }

  /** A job whose insert met an existing (user, idempotency key): that job. */
  private async conflicted(job: JobRecord): Promise<JobInsertResult> {
    const existing = job.idempotencyKey
      ? await this.findByIdempotencyKey(job.userId, job.idempotencyKey)
      : undefined;
    if (!existing) throw new Error('job insert conflicted but no job holds its key');
    return { inserted: false, existing };
  }

  async find(id: string): Promise<JobRecord | undefined> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toJobRecord(row);
  }

  async findByIdempotencyKey(userId: string, key: string): Promise<JobRecord | undefined> {
    const row = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('user_id', '=', userId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row && toJobRecord(row);
  }

  async completeMany(
    completions: { id: string; attempts: number; messageId: string; seq: number }[],
    now: string,
  ): Promise<JobRecord[] | undefined> {
    const rows = await runInChunks<(typeof completions)[number], Selectable<JobsTable>>(
      this.statements,
      this.db,
      completeJobs,
      completions,
      (c) => [c.id, c.messageId, c.seq],
      [now],
    );
    const byId = new Map(rows.map((row) => [row.id, toJobRecord(row)]));
    const completed: JobRecord[] = [];
    for (const { id, attempts } of completions) {
      const job = byId.get(id);
      // Missing: no longer processing; another attempt number: another claim holds it now.
      if (!job || job.attempts !== attempts) return undefined;
      completed.push(job);
    }
    return completed;
  }

  async attemptsOf(ids: string[]): Promise<Map<string, { status: JobStatus; attempts: number }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('jobs')
      .select(['id', 'status', 'attempts'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((row) => [row.id, { status: row.status, attempts: Number(row.attempts) }]));
  }

  async claimNext(now: string, leaseUntil: string, queuedTypes: JobType[]): Promise<JobRecord | undefined> {
    const rows = await this.claim(now, leaseUntil, claimable(now, queuedTypes), 1);
    return rows[0];
  }

  async claimDueBatch(type: JobType, now: string, limit: number, leaseUntil: string): Promise<JobRecord[]> {
    const rows = await this.claim(
      now,
      leaseUntil,
      (eb) => eb.and([eb('status', '=', 'queued'), eb('type', '=', type), eb('run_at', '<=', now)]),
      limit,
    );
    return rows.sort(byRoomThenDue);
  }

  /**
   * Starts an attempt on up to `limit` jobs matching `which`, oldest due first, in one statement,
   * returning only the rows this caller changed.
   *
   * The candidates are picked once, in a materialized CTE: PostgreSQL may run a plain `in
   * (select … limit n)` subquery again for each row it updates, and so claim more than `n`. Where
   * the engine locks rows, the pick skips rows that other claimers are taking right now (rather
   * than queueing behind them for jobs they will get anyway), and the update checks `which`
   * again on each row as it is once locked, so a job changed by another claimer in between is
   * not taken twice.
   *
   * Most claims find nothing (the worker looks for file jobs and lapsed leases after every
   * message batch, and polls): a read finds that out first. An update, even one that changes
   * no row, is a write: on SQLite it takes the database's write lock and costs ~100-200 µs of
   * CPU, about as much as a lone message's other statements together (docs/performance.md,
   * "Cost per delivery by room size, round two").
   */
  private async claim(
    now: string,
    leaseUntil: string,
    which: (eb: ExpressionBuilder<Tables, 'jobs'>) => Expression<SqlBool>,
    limit: number,
  ): Promise<JobRecord[]> {
    const anyClaimable = await this.db
      .selectFrom('jobs')
      .select('id')
      .where(which)
      .limit(1)
      .executeTakeFirst();
    if (!anyClaimable) return [];
    const rows = await this.db
      .with(
        (cte) => cte('candidates').materialized(),
        (db) =>
          db
            .selectFrom('jobs')
            .select('id')
            .where(which)
            .orderBy('run_at')
            .limit(limit)
            .$if(this.features.rowLocks, (query) => query.forUpdate().skipLocked()),
      )
      .updateTable('jobs')
      .set(attemptStarted(now, leaseUntil))
      .where('id', 'in', (eb) => eb.selectFrom('candidates').select('candidates.id'))
      .where(which)
      .returningAll()
      .execute();
    return rows.map(toJobRecord);
  }

  async complete(
    claim: { id: string; attempts: number },
    result: { messageId: string; seq: number },
    now: string,
  ): Promise<JobRecord | undefined> {
    const { rows } = await this.statements.run<
      Selectable<JobsTable>,
      [string, number, string, number, string]
    >(this.db, completeJob, claim.id, claim.attempts, result.messageId, result.seq, now);
    const row = rows[0];
    return row && toJobRecord(row);
  }

  async scheduleRetry(
    claim: { id: string; attempts: number },
    runAt: string,
    error: { code: string; message: string },
    now: string,
  ): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({
        status: 'queued',
        run_at: runAt,
        lease_until: null,
        error_code: error.code,
        error_message: error.message,
        updated_at: now,
      })
      .where('id', '=', claim.id)
      .where('status', '=', 'processing')
      .where('attempts', '=', claim.attempts)
      .execute();
  }

  async fail(
    claim: { id: string; attempts: number },
    error: { code: string; message: string },
    now: string,
  ): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({
        status: 'failed',
        lease_until: null,
        error_code: error.code,
        error_message: error.message,
        failed_at: now,
        updated_at: now,
      })
      .where('id', '=', claim.id)
      .where('status', '=', 'processing')
      .where('attempts', '=', claim.attempts)
      .execute();
  }

  async listFailed(limit: number): Promise<JobRecord[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'failed')
      .orderBy('failed_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toJobRecord);
  }

  async requeueFailed(id: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({
        status: 'queued',
        attempts: 0,
        run_at: now,
        lease_until: null,
        error_code: null,
        error_message: null,
        failed_at: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async release(claims: JobClaim[], now: string): Promise<void> {
    if (claims.length === 0) return;
    await this.db
      .updateTable('jobs')
      .set({ status: 'queued', run_at: now, lease_until: null, updated_at: now })
      .where('status', '=', 'processing')
      .where((eb) =>
        eb.or(claims.map(({ id, attempts }) => eb.and([eb('id', '=', id), eb('attempts', '=', attempts)]))),
      )
      .execute();
  }

  async expireLeases(now: string): Promise<void> {
    await this.db.updateTable('jobs').set({ lease_until: now }).where('status', '=', 'processing').execute();
  }

  async forgetKeysBefore(cutoff: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ idempotency_key: null })
      .where('idempotency_key', 'is not', null)
      .where('created_at', '<', cutoff)
      .execute();
  }

  async deleteCompletedBefore(cutoff: string, limit: number): Promise<number> {
    // A completed job is never updated again: updated_at is when it completed.
    return this.deleteSome(
      (eb) => eb.and([eb('status', '=', 'completed'), eb('updated_at', '<', cutoff)]),
      limit,
    );
  }

  async deleteFailedBefore(cutoff: string, limit: number): Promise<number> {
    return this.deleteSome(
      (eb) => eb.and([eb('status', '=', 'failed'), eb('failed_at', '<', cutoff)]),
      limit,
    );
  }

  /**
   * Deletes at most `limit` jobs matching `which`: in bounded batches, so that on SQLite, where
   * a write holds the whole database, a large backlog never stalls message commits for long.
   */
  private async deleteSome(
    which: (eb: ExpressionBuilder<Tables, 'jobs'>) => Expression<SqlBool>,
    limit: number,
  ): Promise<number> {
    const result = await this.db
      .deleteFrom('jobs')
      .where('id', 'in', (eb) => eb.selectFrom('jobs').select('id').where(which).limit(limit))
      .where(which)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** insertJob's arguments for a job, after the database. */
function insertArguments(job: JobRecord) {
  return [
    job.id,
    job.userId,
    job.roomId,
    job.type,
    job.status,
    JSON.stringify(job.payload),
    job.idempotencyKey,
    job.requestHash,
    job.attempts,
    job.maxAttempts,
    job.runAt,
    job.leaseUntil,
    job.createdAt,
    job.updatedAt,
    job.payload.type === 'file' ? job.payload.blobKey : null,
  ] as const;
}
