import type { JobStatus, JobType } from '@parley/protocol';
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { JobInsertResult, JobsRepository } from '../../../core/ports/database.js';
import type { JobPayload, JobRecord } from '../../../core/ports/records.js';
import { type CompiledStatements, statement } from '../compiled-statements.js';
import type { GroupCommit } from '../group-commit.js';
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

/** The update that starts an attempt: processing, counted, under a lease. */
const attemptStarted = (now: string, leaseUntil: string) => (eb: ExpressionBuilder<Tables, 'jobs'>) => ({
  status: 'processing' as const,
  attempts: eb('attempts', '+', 1),
  lease_until: leaseUntil,
  updated_at: now,
});

// Run for every message: compiled once (see compiled-statements.ts).
const insertJob = statement(
  'jobs.insert',
  (
    db: Kysely<Tables>,
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
  ) =>
    db
      .insertInto('jobs')
      .values({
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
      })
      .onConflict((oc) => oc.columns(['user_id', 'idempotency_key']).doNothing()),
);
const completeJob = statement(
  'jobs.complete',
  (db: Kysely<Tables>, id: string, messageId: string, seq: number, now: string) =>
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
      .returningAll(),
);

export class SqlJobs implements JobsRepository {
  /** Outside a transaction, inserts from concurrent requests are committed together. */
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly statements: CompiledStatements,
    private readonly batcher?: GroupCommit<JobRecord, JobInsertResult>,
  ) {}

  insert(job: JobRecord): Promise<JobInsertResult> {
    return this.batcher ? this.batcher.submit(job) : this.insertNow(job);
  }

  async insertNow(job: JobRecord): Promise<JobInsertResult> {
    const result = await this.statements.run(
      this.db,
      insertJob,
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
    );
    if (Number(result.numAffectedRows ?? 0) === 1) return { inserted: true };
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

  async listDue(type: JobType, now: string, limit: number): Promise<JobRecord[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'queued')
      .where('type', '=', type)
      .where('run_at', '<=', now)
      .orderBy('run_at')
      .limit(limit)
      .execute();
    return rows.map(toJobRecord);
  }

  async startAttempts(ids: string[], now: string, leaseUntil: string): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .updateTable('jobs')
      .set(attemptStarted(now, leaseUntil))
      .where('id', 'in', ids)
      .returning(['id', 'attempts'])
      .execute();
    return new Map(rows.map((row) => [row.id, Number(row.attempts)]));
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
    const due = this.db
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now), eb('type', 'in', queuedTypes)]),
          eb.and([eb('status', '=', 'processing'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('run_at')
      .limit(1);
    const row = await this.db
      .updateTable('jobs')
      .set(attemptStarted(now, leaseUntil))
      .where('id', '=', (eb) => eb.selectFrom(due.as('due')).select('due.id'))
      .returningAll()
      .executeTakeFirst();
    return row && toJobRecord(row);
  }

  async complete(id: string, result: { messageId: string; seq: number }, now: string): Promise<JobRecord> {
    const { rows } = await this.statements.run<Selectable<JobsTable>, [string, string, number, string]>(
      this.db,
      completeJob,
      id,
      result.messageId,
      result.seq,
      now,
    );
    const row = rows[0];
    if (!row) throw new Error(`no job ${id} to complete`);
    return toJobRecord(row);
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

  async release(ids: string[], now: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('jobs')
      .set({ status: 'queued', run_at: now, lease_until: null, updated_at: now })
      .where('status', '=', 'processing')
      .where('id', 'in', ids)
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
}
