import type { Readable } from 'node:stream';
import type { Job, MessageJobBody } from '@parley/protocol';
import { requireInstanceAdmin } from '../accounts/admin-service.js';
import type { Principal } from '../accounts/principal.js';
import { nowIso } from '../clock.js';
import { AppError, conflict, invalidField, notFound, rateLimited } from '../errors.js';
import { newId } from '../ids.js';
import { type BlobStore, BlobTooLargeError } from '../ports/blob-store.js';
import type { Database } from '../ports/database.js';
import type { FanOut } from '../ports/fan-out.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { JobPayload, JobRecord } from '../ports/records.js';
import type { MemberCheck } from '../rooms/member-check.js';
import { toJob } from './job-view.js';
import { requestHash } from './request-hash.js';

export interface Submission {
  job: Job;
  /** True when an earlier request with the same idempotency key made this job. */
  replayed: boolean;
}

export interface StagedUpload {
  blobKey: string;
  size: number;
  sha256: string;
}

export interface FileSubmission {
  roomId: string;
  fileName: string;
  contentType: string;
  caption?: string;
  upload: StagedUpload;
}

export interface JobsServiceOptions {
  maxAttempts: number;
  maxUploadBytes: number;
}

/** Accepts messages and files as jobs: recorded durably first, processed by the worker after. */
export class JobsService {
  /** Called after a job is recorded, to wake the worker. */
  onSubmitted: () => void = () => {};

  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
    private readonly sendLimiter: RateLimiter,
    private readonly fanOut: FanOut,
    private readonly members: MemberCheck,
    private readonly options: JobsServiceOptions,
  ) {}

  /** Room access for sending: a public room not joined is forbidden, anything else unseen is not found. */
  async checkCanSend(principal: Principal, roomId: string): Promise<void> {
    await this.members.require(principal, roomId);
  }

  async submitMessage(
    principal: Principal,
    body: MessageJobBody,
    idempotencyKey: string | undefined,
  ): Promise<Submission> {
    await this.checkCanSend(principal, body.roomId);
    if (body.replyTo !== undefined) {
      const target = await this.db.messages.findRecord(body.replyTo);
      if (!target || target.roomId !== body.roomId) {
        throw invalidField('replyTo', 'must be a message of this room');
      }
    }
    const payload: JobPayload = { type: 'message', text: body.text };
    if (body.replyTo !== undefined) payload.replyTo = body.replyTo;
    const hash = requestHash(['message', body.roomId, body.text, body.replyTo]);
    return this.record(principal, body.roomId, payload, idempotencyKey, hash);
  }

  /** Writes upload bytes to the blob store before any job names them. */
  async stageUpload(source: Readable | Buffer): Promise<StagedUpload> {
    const blobKey = `files/${newId()}`;
    try {
      const stored = await this.blobs.put(blobKey, source, { maxBytes: this.options.maxUploadBytes });
      if (stored.size === 0) {
        await this.blobs.delete(blobKey);
        throw invalidField('file', 'must not be empty');
      }
      return { blobKey, ...stored };
    } catch (error) {
      if (error instanceof BlobTooLargeError) {
        throw new AppError('payload_too_large', `The file is over ${this.options.maxUploadBytes} bytes.`);
      }
      throw error;
    }
  }

  /** Removes a staged upload that no job will name. */
  async discardUpload(upload: StagedUpload): Promise<void> {
    await this.blobs.delete(upload.blobKey).catch(() => {});
  }

  /** Records a file job for a staged upload; the upload is removed if the job is not recorded. */
  async submitFile(
    principal: Principal,
    input: FileSubmission,
    idempotencyKey: string | undefined,
  ): Promise<Submission> {
    let keep = false;
    try {
      await this.checkCanSend(principal, input.roomId);
      const payload: JobPayload = {
        type: 'file',
        blobKey: input.upload.blobKey,
        fileName: input.fileName,
        declaredContentType: input.contentType,
        size: input.upload.size,
      };
      if (input.caption !== undefined) payload.caption = input.caption;
      const hash = requestHash([
        'file',
        input.roomId,
        input.fileName,
        input.contentType,
        input.caption,
        input.upload.sha256,
      ]);
      const submission = await this.record(principal, input.roomId, payload, idempotencyKey, hash);
      keep = !submission.replayed;
      return submission;
    } finally {
      if (!keep) await this.blobs.delete(input.upload.blobKey).catch(() => {});
    }
  }

  /** Only the submitter or an instance admin sees a job; to anyone else it does not exist. */
  async get(principal: Principal, jobId: string): Promise<Job> {
    const record = await this.db.jobs.find(jobId);
    if (!record || (record.userId !== principal.user.id && principal.user.role !== 'admin')) {
      throw notFound('No such job.');
    }
    return toJob(record);
  }

  async deadLetters(principal: Principal): Promise<Job[]> {
    requireInstanceAdmin(principal);
    return (await this.db.jobs.listFailed(500)).map(toJob);
  }

  async retryDeadLetter(principal: Principal, jobId: string): Promise<Job> {
    requireInstanceAdmin(principal);
    const record = await this.db.jobs.find(jobId);
    if (!record) throw notFound('No such job.');
    if (!(await this.db.jobs.requeueFailed(jobId, nowIso())))
      throw conflict('Only a failed job can be retried.');
    const requeued = await this.db.jobs.find(jobId);
    if (!requeued) throw notFound('No such job.');
    const job = toJob(requeued);
    this.fanOut.publish({ kind: 'user-frame', userId: requeued.userId, frame: { type: 'job', job } });
    this.onSubmitted();
    return job;
  }

  private async record(
    principal: Principal,
    roomId: string,
    payload: JobPayload,
    idempotencyKey: string | undefined,
    hash: string,
  ): Promise<Submission> {
    if (idempotencyKey !== undefined) {
      const earlier = await this.db.jobs.findByIdempotencyKey(principal.user.id, idempotencyKey);
      if (earlier) return replayOf(earlier, hash);
    }
    const verdict = await this.sendLimiter.consume(principal.user.id);
    if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds);

    const now = nowIso();
    const record: JobRecord = {
      id: newId(),
      userId: principal.user.id,
      roomId,
      type: payload.type,
      status: 'queued',
      payload,
      idempotencyKey: idempotencyKey ?? null,
      requestHash: hash,
      attempts: 0,
      maxAttempts: this.options.maxAttempts,
      runAt: now,
      leaseUntil: null,
      errorCode: null,
      errorMessage: null,
      resultMessageId: null,
      resultSeq: null,
      createdAt: now,
      updatedAt: now,
    };
    // The unique (user, key) constraint, not the lookup above, is what makes a key safe under
    // concurrency: a second insert with the same key returns the first job.
    const inserted = await this.db.jobs.insert(record);
    if (!inserted.inserted) {
      // A concurrent request with the same key won the insert: this one is a replay after all.
      await this.sendLimiter.refund(principal.user.id);
      return replayOf(inserted.existing, hash);
    }
    this.onSubmitted();
    return { job: toJob(record), replayed: false };
  }
}

function replayOf(existing: JobRecord, hash: string): Submission {
  if (existing.requestHash !== hash) {
    throw new AppError(
      'idempotency_key_reused',
      'This idempotency key was already used for a different request.',
    );
  }
  return { job: toJob(existing), replayed: true };
}
