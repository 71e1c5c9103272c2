import type { FileJobBody, Job, MessageJobBody } from '@parley/protocol';
import { requireInstanceAdmin } from '../accounts/admin-service.js';
import type { Principal } from '../accounts/principal.js';
import { audit } from '../audit/audit-log.js';
import { nowIso } from '../clock.js';
import { AppError, conflict, fileTooLarge, invalidField, notFound, rateLimited } from '../errors.js';
import { newId } from '../ids.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/database.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { JobPayload, JobRecord } from '../ports/records.js';
import type { MemberCheck } from '../rooms/member-check.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { type FileDetails, FileUpload } from './file-upload.js';
import { jobStatusMessage, toJob } from './job-view.js';
import { KeyedTurns } from './keyed-turns.js';
import { requestHash } from './request-hash.js';

export interface Submission {
  job: Job;
  /** True when an earlier request with the same idempotency key made this job. */
  replayed: boolean;
}

export interface JobsServiceOptions {
  maxAttempts: number;
  maxUploadBytes: number;
}

/** Accepts messages and files as jobs: recorded durably first, processed by the worker after. */
export class JobsService {
  /** Called after a job is recorded, to wake the worker. */
  onSubmitted: () => void = () => {};
  /**
   * Requests with one user's same idempotency key take turns in this process. Racing, a request
   * refused by the send limit (because the burst's others hold the units until they learn they
   * are replays) could insert ahead of the group commit holding the first one's row, then meet
   * the limit itself and answer 429 to what is a replay. In turn, each later one finds the first
   * one's row and is answered as a replay without holding a unit. Across instances the unique
   * index still decides (see insertKeyed).
   */
  private readonly keyedTurns = new KeyedTurns();

  constructor(
    private readonly db: Database,
    private readonly work: UnitOfWork,
    private readonly blobs: BlobStore,
    private readonly sendLimiter: RateLimiter,
    private readonly members: MemberCheck,
    private readonly options: JobsServiceOptions,
  ) {}

  async submitMessage(
    principal: Principal,
    body: MessageJobBody,
    idempotencyKey: string | undefined,
  ): Promise<Submission> {
    await this.members.require(principal, body.roomId);
    if (body.replyTo !== undefined) {
      const target = await this.db.messages.findRecord(body.replyTo);
      if (!target || target.roomId !== body.roomId) {
        throw invalidField('replyTo', 'must be a message of this room');
      }
    }
    if (body.alsoToRoom === true && body.replyTo === undefined) {
      throw invalidField('alsoToRoom', 'only a reply (with replyTo) can also be sent to the room');
    }
    const payload: JobPayload = { type: 'message', text: body.text };
    if (body.replyTo !== undefined) payload.replyTo = body.replyTo;
    if (body.alsoToRoom === true) payload.alsoToRoom = true;
    // alsoToRoom is hashed only when set, so keys recorded before threads keep matching.
    const hash = requestHash(
      body.alsoToRoom === true
        ? ['message', body.roomId, body.text, body.replyTo, 'alsoToRoom']
        : ['message', body.roomId, body.text, body.replyTo],
    );
    return this.record(principal, body.roomId, payload, idempotencyKey, hash);
  }

  /**
   * Starts a file upload to a room: the room's access is checked here, before any byte is
   * stored (a public room not joined is forbidden, anything else unseen is not found).
   */
  async beginFileUpload(principal: Principal, roomId: string): Promise<FileUpload> {
    await this.members.require(principal, roomId);
    return new FileUpload(roomId, this.blobs, this.options.maxUploadBytes);
  }

  /** A file sent as base64 JSON: its size is known before it is decoded. */
  async submitBase64File(
    principal: Principal,
    body: FileJobBody,
    idempotencyKey: string | undefined,
  ): Promise<Submission> {
    if (base64DecodedBytes(body.data) > this.options.maxUploadBytes) {
      throw fileTooLarge(this.options.maxUploadBytes);
    }
    const upload = await this.beginFileUpload(principal, body.roomId);
    await upload.store(Buffer.from(body.data, 'base64'));
    const details: FileDetails = { fileName: body.fileName, contentType: body.contentType };
    if (body.caption !== undefined) details.caption = body.caption;
    return this.submitFile(principal, upload, details, idempotencyKey);
  }

  /**
   * Records the job of a stored upload. The bytes are removed when no new job names them (the
   * job was refused, or the request was a replay of an earlier one).
   */
  async submitFile(
    principal: Principal,
    upload: FileUpload,
    details: FileDetails,
    idempotencyKey: string | undefined,
  ): Promise<Submission> {
    let keep = false;
    try {
      const stored = upload.upload;
      if (!stored) throw invalidField('file', 'is required');
      // Access again: the caller may have left the room while its bytes were arriving.
      await this.members.require(principal, upload.roomId);
      const payload: JobPayload = {
        type: 'file',
        blobKey: stored.blobKey,
        fileName: details.fileName,
        declaredContentType: details.contentType,
        size: stored.size,
      };
      if (details.caption !== undefined) payload.caption = details.caption;
      const hash = requestHash([
        'file',
        upload.roomId,
        details.fileName,
        details.contentType,
        details.caption,
        stored.sha256,
      ]);
      const submission = await this.record(principal, upload.roomId, payload, idempotencyKey, hash);
      keep = !submission.replayed;
      return submission;
    } finally {
      if (!keep) await upload.discard();
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

  async retryDeadLetter(principal: Principal, jobId: string, clientAddress?: string): Promise<Job> {
    requireInstanceAdmin(principal);
    const record = await this.db.jobs.find(jobId);
    if (!record) throw notFound('No such job.');
    const requeued = await this.work.run(async (tx) => {
      const now = nowIso();
      if (!(await tx.jobs.requeueFailed(jobId, now))) throw conflict('Only a failed job can be retried.');
      const requeued = await tx.jobs.find(jobId);
      if (!requeued) throw notFound('No such job.');
      tx.publishAfterCommit(jobStatusMessage(requeued));
      await audit(tx, now, {
        type: 'dlq.retried',
        actorId: principal.user.id,
        targetId: jobId,
        clientAddress,
        details: {
          jobType: record.type,
          roomId: record.roomId,
          ...(record.errorCode ? { error: record.errorCode } : {}),
        },
      });
      return requeued;
    });
    this.onSubmitted();
    return toJob(requeued);
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
    const submission =
      idempotencyKey === undefined
        ? await this.insertLimited(record)
        : await this.keyedTurns.run(`${record.userId}\u0000${idempotencyKey}`, () =>
            this.insertKeyed(record, hash),
          );
    if (!submission.replayed) this.onSubmitted();
    return submission;
  }

  private async insertLimited(record: JobRecord): Promise<Submission> {
    await this.consumeSend(record.userId);
    await this.db.jobs.insert(record);
    return { job: toJob(record), replayed: false };
  }

  /**
   * The unique (user, key) constraint, not the lookup before, is what makes a key safe under
   * concurrency: of concurrent requests with one key, one insert wins and the others get its job
   * back (a replay). A replay must never count against the rate limit, nor be refused by it.
   *
   * The common case (the web app keys every send) goes through the group commit like unkeyed
   * sends: the limit is taken first and given back if the insert turns out to be a replay. When
   * the limit refuses, the request may still be a replay of one in flight, so it is judged the
   * careful way: insert first in a transaction of its own, which waits on the unique index until
   * the other request commits (a replay) or rolls back; only a new job then meets the limit.
   */
  private async insertKeyed(record: JobRecord, hash: string): Promise<Submission> {
    const verdict = await this.sendLimiter.consume(record.userId);
    if (!verdict.allowed) {
      // A refused take still counts (the limiter counts attempts): give it back, so a replay
      // costs nothing; `insertKeyedAlone` takes it again if the job is new.
      await this.sendLimiter.refund(record.userId);
      return this.insertKeyedAlone(record, hash);
    }
    const inserted = await this.db.jobs.insert(record);
    if (inserted.inserted) return { job: toJob(record), replayed: false };
    await this.sendLimiter.refund(record.userId);
    return replayOf(inserted.existing, hash);
  }

  private insertKeyedAlone(record: JobRecord, hash: string): Promise<Submission> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.jobs.insert(record);
      if (!inserted.inserted) return replayOf(inserted.existing, hash);
      await this.consumeSend(record.userId);
      return { job: toJob(record), replayed: false };
    });
  }

  private async consumeSend(userId: string): Promise<void> {
    const verdict = await this.sendLimiter.consume(userId);
    if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds);
  }
}

function base64DecodedBytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
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
