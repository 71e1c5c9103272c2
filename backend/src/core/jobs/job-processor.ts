/**
 * Turns a claimed job into its room event. The event, the message (and file), and the job's
 * completion commit in one transaction, and only while this worker still holds the job's lease,
 * so a job that is processed twice (a lease expired under a slow worker) still makes one message.
 */
import type { EventBase, Message } from '@parley/protocol';
import { nowIso } from '../clock.js';
import { JobFailure } from '../errors.js';
import { decideContentType } from '../files/content-type.js';
import { newId } from '../ids.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database, Repositories } from '../ports/database.js';
import type { MediaInspector } from '../ports/media-inspector.js';
import type { FileRecord, JobPayload, JobRecord } from '../ports/records.js';
import { appendEvent } from '../rooms/room-log.js';
import { applyTestFault } from './test-faults.js';

export type MessageCreated = EventBase<'message.created', { message: Message }>;

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
    return this.db.transaction(async (tx) => {
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
    });
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
