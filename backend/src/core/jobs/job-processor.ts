/**
 * Turns jobs into room events. The event, the message (and file), and the job's completion
 * commit in one transaction, and only while the job is still held by this attempt, so a job
 * that is processed twice (a lease expired under a slow worker) still makes one message.
 *
 * Message jobs take the fast path: a batch of due ones is started in one commit and run in a
 * second (two disk syncs for many messages). Files need slow work outside a transaction
 * (sniffing, thumbnails) and go one by one under a lease.
 */
import type { EventBase, Message } from '@parley/protocol';
import { isoIn, nowIso } from '../clock.js';
import { JobFailure } from '../errors.js';
import { decideContentType } from '../files/content-type.js';
import { newId } from '../ids.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database, Repositories } from '../ports/database.js';
import type { MediaInspector } from '../ports/media-inspector.js';
import type { FileRecord, JobPayload, JobRecord } from '../ports/records.js';
import { appendEvent } from '../rooms/room-log.js';
import { recordFailedAttempt } from './failure-policy.js';
import { applyTestFault } from './test-faults.js';

export type MessageCreated = EventBase<'message.created', { message: Message }>;

/** What became of one job of a batch: its state after the commit, and its event if it made one. */
export interface BatchOutcome {
  job: JobRecord;
  event?: MessageCreated;
}

const IMAGE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/tiff',
]);
const SNIFF_BYTES = 4100;

export class JobProcessor {
  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
    private readonly media: MediaInspector,
    private readonly options: { testFaults: boolean },
  ) {}

  /**
   * Runs up to `limit` due message jobs in two commits for the whole batch: the first starts
   * their attempts under a lease (so a crash while running them is counted, and the restart
   * runs them one by one), the second runs them all. A job's own failure (a JobFailure, raised
   * before it writes anything) is recorded in the same transaction; any other error rolls the
   * run back, hands the batch back to the queue and is thrown, so the caller can fall back to
   * one job at a time.
   */
  async processDueMessages(limit: number, leaseMs: number): Promise<BatchOutcome[]> {
    const claimed = await this.db.transaction(async (tx) => {
      const now = nowIso();
      const due = await tx.jobs.listDue('message', now, limit);
      const jobs: JobRecord[] = [];
      for (const queued of due) {
        const attempts = await tx.jobs.startAttempt(queued.id, now, isoIn(leaseMs));
        jobs.push({ ...queued, status: 'processing', attempts });
      }
      return jobs;
    });
    if (claimed.length === 0) return [];
    try {
      return await this.db.transaction((tx) => this.runClaimed(tx, claimed));
    } catch (error) {
      await this.db.jobs.release(
        claimed.map((job) => job.id),
        nowIso(),
      );
      throw error;
    }
  }

  private async runClaimed(tx: Repositories, claimed: JobRecord[]): Promise<BatchOutcome[]> {
    const now = nowIso();
    const done: { id: string; event?: MessageCreated }[] = [];
    for (const job of claimed) {
      if (job.payload.type !== 'message') continue;
      try {
        if (this.options.testFaults) applyTestFault(job.payload.text, job.attempts);
        done.push({ id: job.id, event: await this.commitIn(tx, job, job.payload.text, job.payload.replyTo) });
      } catch (error) {
        if (!(error instanceof JobFailure)) throw error;
        await recordFailedAttempt(tx.jobs, job, error, now);
        done.push({ id: job.id });
      }
    }
    const outcomes: BatchOutcome[] = [];
    for (const { id, event } of done) {
      const job = await tx.jobs.find(id);
      if (job) outcomes.push(event ? { job, event } : { job });
    }
    return outcomes;
  }

  async process(job: JobRecord): Promise<MessageCreated> {
    const payload = job.payload;
    if (payload.type === 'message') {
      if (this.options.testFaults) applyTestFault(payload.text, job.attempts);
      return this.commit(job, payload.text, payload.replyTo, undefined);
    }
    const file = await this.prepareFile(job, payload);
    return this.commit(job, payload.caption ?? '', undefined, file);
  }

  private async prepareFile(
    job: JobRecord,
    payload: Extract<JobPayload, { type: 'file' }>,
  ): Promise<FileRecord> {
    const head = await this.blobs.head(payload.blobKey, SNIFF_BYTES);
    if (!head) throw new JobFailure('upload_missing', 'The uploaded bytes are gone.', true);
    const sniffed = await this.media.sniff(head);
    const contentType = decideContentType(sniffed, payload.declaredContentType, head);
    const fileId = newId();
    const file: FileRecord = {
      id: fileId,
      roomId: job.roomId,
      uploaderId: job.userId,
      blobKey: payload.blobKey,
      fileName: payload.fileName,
      contentType,
      size: payload.size,
      width: null,
      height: null,
      thumbnailKey: null,
      createdAt: nowIso(),
    };
    if (IMAGE_TYPES.has(contentType)) {
      const source = await this.blobs.get(payload.blobKey);
      const image = source && (await this.media.inspectImage(source));
      if (image) {
        file.width = image.width;
        file.height = image.height;
        if (image.thumbnail) {
          file.thumbnailKey = `thumbnails/${fileId}.webp`;
          await this.blobs.put(file.thumbnailKey, image.thumbnail);
        }
      }
    }
    return file;
  }

  private commit(
    job: JobRecord,
    text: string,
    replyTo: string | undefined,
    file: FileRecord | undefined,
  ): Promise<MessageCreated> {
    return this.db.transaction((tx) => this.commitIn(tx, job, text, replyTo, file));
  }

  private async commitIn(
    tx: Repositories,
    job: JobRecord,
    text: string,
    replyTo: string | undefined,
    file?: FileRecord,
  ): Promise<MessageCreated> {
    await assertStillHeld(tx, job);
    const author = await tx.users.findById(job.userId);
    if (!author) throw new JobFailure('author_missing', 'The sender no longer exists.', true);
    const messageId = newId();
    const event = await appendEvent<MessageCreated>(tx, job.roomId, author, async (seq, at) => {
      if (file) await tx.files.insert(file);
      await tx.messages.insert({
        id: messageId,
        roomId: job.roomId,
        seq,
        authorId: job.userId,
        text,
        replyTo: replyTo ?? null,
        fileId: file?.id ?? null,
        createdAt: at,
        editedAt: null,
        deletedAt: null,
      });
      const message = await tx.messages.find(messageId);
      if (!message) throw new Error('message vanished inside its own transaction');
      return { type: 'message.created', data: { message } };
    });
    await tx.jobs.complete(job.id, { messageId, seq: event.seq }, nowIso());
    return event;
  }
}

/** Another worker took the job over (our lease expired): commit nothing. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

async function assertStillHeld(tx: Repositories, job: JobRecord): Promise<void> {
  const current = await tx.jobs.find(job.id);
  if (current?.status !== 'processing' || current.attempts !== job.attempts) {
    throw new LeaseLostError(`job ${job.id} is no longer held by this worker`);
  }
}
