/**
 * Turns jobs into room events. The event, the message (and file), and the job's completion
 * commit in one transaction, and only while the job is still held by this attempt, so a job
 * that is processed twice (a lease expired under a slow worker) still makes one message.
 *
 * Message jobs take the fast path: a batch of due ones is started in one commit and run in a
 * second (two disk syncs for many messages). Files need slow work outside a transaction
 * (sniffing, thumbnails) and go one by one under a lease.
 */
import type { JobStatus } from '@parley/protocol';
import { isoIn, nowIso } from '../clock.js';
import { JobFailure } from '../errors.js';
import { decideContentType } from '../files/content-type.js';
import { newId } from '../ids.js';
import { createMessage, createMessages, type MessageCreated } from '../messages/create-message.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/database.js';
import type { MediaInspector } from '../ports/media-inspector.js';
import type { FileRecord, JobPayload, JobRecord, UserRecord } from '../ports/records.js';
import type { Transaction, UnitOfWork } from '../unit-of-work.js';
import { recordFailedAttempt } from './failure-policy.js';
import { jobStatusMessage } from './job-view.js';
import { applyTestFault } from './test-faults.js';

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
    private readonly work: UnitOfWork,
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
    const claimed = await this.db.jobs.claimDueBatch('message', nowIso(), limit, isoIn(leaseMs));
    if (claimed.length === 0) return [];
    try {
      return await this.work.run((tx) => this.runClaimed(tx, claimed));
    } catch (error) {
      await this.db.jobs.release(claimed, nowIso());
      throw error;
    }
  }

  private async runClaimed(tx: Transaction, claimed: JobRecord[]): Promise<BatchOutcome[]> {
    const now = nowIso();
    const held = await tx.jobs.attemptsOf(claimed.map((job) => job.id));
    const authors = new Map<string, UserRecord | undefined>();
    const outcomes: BatchOutcome[] = [];
    // Plain messages (no reply) of one room, written together with a few multi-row statements.
    // They are written before any other job of the batch takes a seq, so the room's log keeps
    // the order in which the jobs were claimed.
    let plain: PlainJob[] = [];
    const writePlain = async () => {
      if (plain.length === 0) return;
      const run = plain;
      plain = [];
      outcomes.push(...(await this.commitPlainIn(tx, run)));
    };
    for (const job of claimed) {
      if (job.payload.type !== 'message') continue;
      assertHeld(job, held.get(job.id));
      if (plain[0] && plain[0].job.roomId !== job.roomId) await writePlain();
      try {
        if (this.options.testFaults) applyTestFault(job.payload.text, job.attempts);
        if (!authors.has(job.userId)) authors.set(job.userId, await tx.users.findById(job.userId));
        const author = authors.get(job.userId);
        if (author && job.payload.replyTo === undefined) {
          plain.push({ job, author, text: job.payload.text });
          continue;
        }
        await writePlain();
        outcomes.push(await this.commitIn(tx, job, author, job.payload.text, replyOf(job.payload)));
      } catch (error) {
        if (!(error instanceof JobFailure)) throw error;
        await writePlain();
        await recordFailedAttempt(tx.jobs, job, error, now);
        const failed = await tx.jobs.find(job.id);
        if (failed) {
          tx.publishAfterCommit(jobStatusMessage(failed));
          outcomes.push({ job: failed });
        }
      }
    }
    await writePlain();
    return outcomes;
  }

  /**
   * commitIn for a run of plain messages of one room (their jobs held: checked by the caller):
   * their seqs, messages, events and completions take a few statements in all. The events are
   * published after the commit, then the jobs' new states.
   */
  private async commitPlainIn(tx: Transaction, run: PlainJob[]): Promise<BatchOutcome[]> {
    const events = await createMessages(
      tx,
      run[0]!.job.roomId,
      run.map(({ author, text }) => ({ author, text })),
    );
    const completed = await tx.jobs.completeMany(
      run.map(({ job }, index) => ({
        id: job.id,
        attempts: job.attempts,
        messageId: events[index]!.data.message.id,
        seq: events[index]!.seq,
      })),
      nowIso(),
    );
    // The claims were checked at the start of this transaction; losing one since is a lost lease.
    if (!completed) throw new LeaseLostError('a job of the batch is no longer held by this worker');
    for (const job of completed) tx.publishAfterCommit(jobStatusMessage(job));
    return completed.map((job, index) => ({ job, event: events[index] }));
  }

  async process(job: JobRecord): Promise<MessageCreated> {
    const payload = job.payload;
    if (payload.type === 'message') {
      if (this.options.testFaults) applyTestFault(payload.text, job.attempts);
      return this.commit(job, payload.text, replyOf(payload), undefined);
    }
    const file = await this.prepareFile(job, payload);
    const created = await this.commit(job, payload.caption ?? '', undefined, file);
    if (file.blobKey !== payload.blobKey) {
      // The upload was replaced by its copy without metadata; a failure here leaves an orphan
      // for the sweep, never a file without bytes.
      await this.blobs.delete(payload.blobKey).catch(() => {});
    }
    return created;
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
        if (image.withoutMetadata) {
          // Served instead of the upload: what the photo carried about where and with what
          // it was taken stays with the uploader. The staged upload becomes an orphan, removed
          // after this commits (or by the orphan sweep after a crash).
          file.blobKey = `files/${fileId}-clean`;
          file.size = (await this.blobs.put(file.blobKey, image.withoutMetadata)).size;
        }
        if (image.thumbnail) {
          file.thumbnailKey = `thumbnails/${fileId}.webp`;
          await this.blobs.put(file.thumbnailKey, image.thumbnail);
        }
      }
    }
    return file;
  }

  private async commit(
    job: JobRecord,
    text: string,
    reply: Reply | undefined,
    file: FileRecord | undefined,
  ): Promise<MessageCreated> {
    const { event } = await this.work.run(async (tx) => {
      assertHeld(job, (await tx.jobs.attemptsOf([job.id])).get(job.id));
      return this.commitIn(tx, job, await tx.users.findById(job.userId), text, reply, file);
    });
    return event;
  }

  /**
   * Writes the message, its event and the job's completion (the job is held: checked by the
   * caller); the event and the job's new state reach the sockets once this commits.
   */
  private async commitIn(
    tx: Transaction,
    job: JobRecord,
    author: UserRecord | undefined,
    text: string,
    reply: Reply | undefined,
    file?: FileRecord,
  ): Promise<{ job: JobRecord; event: MessageCreated }> {
    if (!author) throw new JobFailure('author_missing', 'The sender no longer exists.', true);
    const event = await createMessage(tx, {
      roomId: job.roomId,
      author,
      text,
      replyTo: reply?.replyTo,
      alsoToRoom: reply?.alsoToRoom,
      file,
    });
    const completed = await tx.jobs.complete(
      { id: job.id, attempts: job.attempts },
      { messageId: event.data.message.id, seq: event.seq },
      nowIso(),
    );
    // The claim was checked at the start of this transaction; losing it since is a lost lease.
    if (!completed) throw new LeaseLostError(`job ${job.id} is no longer held by this worker`);
    tx.publishAfterCommit(jobStatusMessage(completed));
    return { job: completed, event };
  }
}

/** A claimed message job that is no reply, with its (existing) author. */
interface PlainJob {
  job: JobRecord;
  author: UserRecord;
  text: string;
}

/** What makes a message job a reply: the replied message, and whether the room sees it too. */
type Reply = { replyTo: string; alsoToRoom: boolean };

function replyOf(payload: Extract<JobPayload, { type: 'message' }>): Reply | undefined {
  return payload.replyTo === undefined
    ? undefined
    : { replyTo: payload.replyTo, alsoToRoom: payload.alsoToRoom === true };
}

/** Another worker took the job over (our lease expired): commit nothing. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/** The job must still be processing under this attempt, or another worker took it over. */
function assertHeld(job: JobRecord, current: { status: JobStatus; attempts: number } | undefined): void {
  if (current?.status !== 'processing' || current.attempts !== job.attempts) {
    throw new LeaseLostError(`job ${job.id} is no longer held by this worker`);
  }
}
