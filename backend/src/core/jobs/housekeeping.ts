/**
 * Forgets what is kept only for a while: idempotency keys after a day, expired WebSocket tickets,
 * completed jobs after JOB_RETENTION_DAYS and failed ones (the dead letter queue) after
 * DLQ_RETENTION_DAYS. A deleted failed file job's upload is then named by nothing, and the
 * orphan-blob sweep (blob-sweeper.ts) removes it.
 */
import { nowIso } from '../clock.js';
import type { Database } from '../ports/database.js';

const DAY_MS = 24 * 3600 * 1000;
const IDEMPOTENCY_KEY_TTL_MS = DAY_MS;
/** Jobs deleted per statement, and statements per run: a backlog is worked off over several runs. */
const DELETE_BATCH = 500;
const DELETE_BATCHES_PER_RUN = 20;

export interface Retention {
  /** Days completed jobs are kept; 0 keeps them forever. */
  jobRetentionDays: number;
  /** Days failed jobs are kept; 0 keeps them forever. */
  dlqRetentionDays: number;
}

export interface HousekeepingOutcome {
  completedJobsDeleted: number;
  failedJobsDeleted: number;
}

export async function housekeeping(
  db: Database,
  retention: Retention,
  now = new Date(),
): Promise<HousekeepingOutcome> {
  // Keys first: a job is deleted only after its key was forgotten (retention is at least a day),
  // so a late retry is never mistaken for a new request while its job still answers for it.
  await db.jobs.forgetKeysBefore(new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS).toISOString());
  await db.tickets.deleteExpired(nowIso());
  return {
    completedJobsDeleted: await deleteOlderThan(retention.jobRetentionDays, now, (cutoff) =>
      db.jobs.deleteCompletedBefore(cutoff, DELETE_BATCH),
    ),
    failedJobsDeleted: await deleteOlderThan(retention.dlqRetentionDays, now, (cutoff) =>
      db.jobs.deleteFailedBefore(cutoff, DELETE_BATCH),
    ),
  };
}

async function deleteOlderThan(
  days: number,
  now: Date,
  deleteBatch: (cutoff: string) => Promise<number>,
): Promise<number> {
  if (days === 0) return 0;
  const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
  let deleted = 0;
  for (let batch = 0; batch < DELETE_BATCHES_PER_RUN; batch++) {
    const count = await deleteBatch(cutoff);
    deleted += count;
    if (count < DELETE_BATCH) break;
  }
  return deleted;
}
