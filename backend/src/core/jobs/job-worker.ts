/**
 * Runs jobs: claims due ones under a lease, processes them, and records the outcome. Transient
 * failures are retried with backoff up to the job's max attempts; permanent ones fail at once
 * into the dead letter queue. A job held by a crashed worker is claimed again when its lease ends.
 *
 * Message jobs are committed by one instance of a cluster at a time (the holder of the
 * `message-batches` lease), in batches in submission order: so each room's log keeps the order
 * in which messages were accepted, which two instances committing batches side by side would
 * not (each batch takes the next seqs when it commits). File jobs run on every instance. The
 * lease decides only who commits message batches; each job's claim still guards it, so a
 * doubly held lease could reorder messages but never lose or double one.
 */
import type { JobType } from '@parley/protocol';
import { isoIn, nowIso } from '../clock.js';
import type { ExclusiveLease } from '../duties/exclusive-lease.js';
import { JobFailure } from '../errors.js';
import type { Database } from '../ports/database.js';
import type { JobRecord } from '../ports/records.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { asJobFailure, recordFailedAttempt } from './failure-policy.js';
import { type BatchOutcome, type JobProcessor, LeaseLostError } from './job-processor.js';
import { jobStatusMessage } from './job-view.js';

export interface WorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobWorkerOptions {
  /** File jobs run at the same time. */
  concurrency: number;
  /** Message jobs committed together in one transaction. */
  batchSize: number;
  leaseMs: number;
  pollMs: number;
  /**
   * How long after start jobs held by a dead process may still become claimable: 0 when this
   * process owns the database and took them back at start (SQLite), the lease when they become
   * claimable only as their leases run out (a shared PostgreSQL).
   */
  recoveryWindowMs: number;
}

export class JobWorker {
  private running = false;
  private oneByOne = false;
  /**
   * From start until nothing is left to take over: jobs a dead process held run one at a time,
   * so a job that kills the process cannot take others down with it (each crash counts against
   * its own attempts only). Nothing to take over is known only once a whole lease has passed
   * since start: on a database shared with other instances (PostgreSQL) the jobs this process
   * held before it died become claimable only when their leases run out, not at start.
   */
  private recovering = true;
  private recoveringUntilMs = 0;
  private claiming = false;
  private wakeAgain = false;
  private readonly inFlight = new Map<string, { claim: JobRecord; run: Promise<void> }>();
  private pollTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly work: UnitOfWork,
    private readonly processor: JobProcessor,
    private readonly messageBatches: ExclusiveLease,
    private readonly log: WorkerLogger,
    private readonly options: JobWorkerOptions,
  ) {}

  start(): void {
    this.running = true;
    this.recoveringUntilMs = Date.now() + this.options.recoveryWindowMs;
    this.pollTimer = setInterval(() => this.wake(), this.options.pollMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** Looks for due jobs now (called when a job is submitted). */
  wake(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.wakeAgain = true;
      return;
    }
    void this.claimLoop();
  }

  /** Stops claiming; waits for in-flight jobs up to graceMs, then hands the rest back. */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    clearInterval(this.pollTimer);
    const pending = [...this.inFlight.values()].map(({ run }) => run);
    const timedOut = await Promise.race([
      Promise.allSettled(pending).then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
    ]);
    await this.messageBatches.release().catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not hand the message-batches lease back');
    });
    if (timedOut && this.inFlight.size > 0) {
      await this.db.jobs.release(
        [...this.inFlight.values()].map(({ claim }) => claim),
        nowIso(),
      );
    }
  }

  private async claimLoop(): Promise<void> {
    this.claiming = true;
    try {
      do {
        this.wakeAgain = false;
        // Message jobs in batches, one commit each; after a batch failed, one by one until a
        // quiet moment (so a job that breaks the batch cannot hold up the others).
        const commitsMessages = await this.messageBatches.holds();
        const batched = commitsMessages && !this.oneByOne && (await this.runMessageBatches());
        const queuedTypes: JobType[] = batched || !commitsMessages ? ['file'] : ['file', 'message'];
        const maxInFlight = this.recovering ? 1 : this.options.concurrency;
        while (this.running && this.inFlight.size < maxInFlight) {
          const job = await this.db.jobs.claimNext(nowIso(), isoIn(this.options.leaseMs), queuedTypes);
          if (!job) {
            this.oneByOne = false;
            if (this.inFlight.size === 0 && Date.now() >= this.recoveringUntilMs) this.recovering = false;
            break;
          }
          const run = this.run(job).finally(() => {
            this.inFlight.delete(job.id);
            this.wake();
          });
          this.inFlight.set(job.id, { claim: job, run });
        }
      } while (this.wakeAgain && this.running);
    } catch (error) {
      this.log.error({ err: error }, 'claiming jobs failed');
    } finally {
      this.claiming = false;
    }
  }

  /** Runs due message jobs in batches until none is left; false when a batch failed. */
  private async runMessageBatches(): Promise<boolean> {
    while (this.running) {
      let outcomes: BatchOutcome[];
      try {
        outcomes = await this.processor.processDueMessages(this.options.batchSize, this.options.leaseMs);
      } catch (error) {
        this.log.warn({ err: error }, 'a message batch failed; running jobs one by one for now');
        this.oneByOne = true;
        return false;
      }
      // Their events and job frames were published by the commit; only failures are logged.
      for (const { job, event } of outcomes) {
        if (!event && job.status === 'failed') {
          this.log.warn({ jobId: job.id, code: job.errorCode }, 'job failed');
        }
      }
      if (outcomes.length < this.options.batchSize) return true;
    }
    return true;
  }

  private async run(job: JobRecord): Promise<void> {
    this.work.publishNow(jobStatusMessage(job)); // Its claim is committed: it is processing.
    if (job.attempts > job.maxAttempts) {
      // Claimed again after its lease ran out more often than it may be tried: a job that keeps
      // killing or stalling its worker must not loop forever.
      await this.recordFailure(
        job,
        new JobFailure('too_many_attempts', 'The job stalled too many times.', true),
      );
      return;
    }
    try {
      await this.processor.process(job);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.log.warn({ jobId: job.id }, 'job lease lost; another worker finishes it');
        return;
      }
      await this.recordFailure(job, error);
    }
  }

  private async recordFailure(job: JobRecord, error: unknown): Promise<void> {
    const failure = asJobFailure(error);
    try {
      const outcome = await this.work.run(async (tx) => {
        const outcome = await recordFailedAttempt(tx.jobs, job, failure, nowIso());
        const current = await tx.jobs.find(job.id);
        if (current) tx.publishAfterCommit(jobStatusMessage(current));
        return outcome;
      });
      if (outcome === 'failed') {
        this.log.warn({ jobId: job.id, attempts: job.attempts, code: failure.code }, 'job failed');
      } else if (!(error instanceof JobFailure)) {
        this.log.warn({ jobId: job.id, err: error }, 'job will be retried');
      }
    } catch (storeError) {
      // The lease will expire and the job will be claimed again; nothing is lost.
      this.log.error({ jobId: job.id, err: storeError }, 'recording a job failure failed');
    }
  }
}
