import { isoIn } from '../clock.js';
import { AppError, JobFailure } from '../errors.js';
import type { JobsRepository } from '../ports/database.js';
import type { JobRecord } from '../ports/records.js';
import { retryDelayMs } from './backoff.js';

/** Any error as a job failure: unexpected ones are transient (`internal`) and retried. */
export function asJobFailure(error: unknown): JobFailure {
  if (error instanceof JobFailure) return error;
  // A dependency that cannot be reached (S3, the database) says so in the job's last error.
  if (error instanceof AppError && error.code === 'unavailable') {
    return new JobFailure('unavailable', error.message, false, { cause: error });
  }
  return new JobFailure('internal', 'Processing failed unexpectedly.', false, { cause: error });
}

/**
 * Records a failed attempt: a permanent failure, or the last allowed attempt, ends in the dead
 * letter queue; anything else is retried after an exponential backoff with jitter.
 * Returns whether the job failed for good.
 */
export async function recordFailedAttempt(
  jobs: JobsRepository,
  job: JobRecord,
  failure: JobFailure,
  now: string,
): Promise<'failed' | 'retrying'> {
  const detail = { code: failure.code, message: failure.message };
  if (failure.permanent || job.attempts >= job.maxAttempts) {
    await jobs.fail(job, detail, now);
    return 'failed';
  }
  await jobs.scheduleRetry(job, isoIn(retryDelayMs(job.attempts)), detail, now);
  return 'retrying';
}
