import type { Job, Message } from '@parley/protocol';

/**
 * Own messages and files on their way: shown at once as pending, then replaced by the real
 * message once the job's `result.messageId` (or its `message.created` event) is in the timeline.
 *
 * - `waiting`: not submitted yet, or the request did not get an answer (offline, network error,
 *   5xx, 408, 429): sent again with the same idempotency key when the connection is back.
 * - `sending`: the request is on its way.
 * - `queued`: the server accepted the job (202); waiting for its message.
 * - `failed`: the server refused it or the job failed: the person decides (Retry or Discard).
 */
export type OutboxStatus = 'waiting' | 'sending' | 'queued' | 'failed';

export interface OutboxFile {
  name: string;
  size: number;
  type: string;
  /** An object URL for a local preview of images. */
  previewUrl?: string;
}

export interface OutboxReply {
  replyTo: string;
  threadId: string;
  alsoToRoom: boolean;
}

export interface OutboxItem {
  localId: string;
  /** The key of the current attempt; kept on a retry of a request that may not have arrived. */
  idempotencyKey: string;
  roomId: string;
  kind: 'message' | 'file';
  /** The message text, or the file's caption. */
  text: string;
  /** A reply: the replied message, its thread's root, and whether the room's timeline shows it too. */
  reply?: OutboxReply;
  file?: OutboxFile;
  status: OutboxStatus;
  /** Upload progress 0..1 while a file is being sent. */
  progress?: number;
  jobId?: string;
  /** The message the job produced (`job.result.messageId`). */
  messageId?: string;
  /** A message event that looks like this item arrived before the job said which message it is. */
  claimedBy?: string;
  error?: string;
  /** The job itself failed on the server: a retry needs a new idempotency key. */
  jobFailed?: boolean;
  /**
   * Failed for good: sending it again cannot succeed (a file over the size limit, 413), so
   * there is no Retry, only Discard.
   */
  permanent?: boolean;
  createdAt: string;
}

export function updateItem(outbox: OutboxItem[], localId: string, patch: Partial<OutboxItem>): OutboxItem[] {
  return outbox.map((item) => (item.localId === localId ? { ...item, ...patch } : item));
}

/** Follows a job's status (from POST /jobs, a `job` frame or GET /jobs/:id). */
export function withJob(outbox: OutboxItem[], job: Job, localId?: string): OutboxItem[] {
  return outbox.map((item) => {
    if (localId !== undefined ? item.localId !== localId : item.jobId !== job.id) return item;
    if (job.status === 'completed' && job.result) {
      const { claimedBy, ...rest } = item;
      // A claim by a look-alike event that is not this job's message is dropped.
      const keepClaim = claimedBy === job.result.messageId ? { claimedBy } : {};
      return { ...rest, ...keepClaim, jobId: job.id, status: 'queued', messageId: job.result.messageId };
    }
    if (job.status === 'failed') {
      const { claimedBy: _claimedBy, ...rest } = item;
      return {
        ...rest,
        jobId: job.id,
        status: 'failed',
        jobFailed: true,
        error: job.error?.message ?? 'The message could not be delivered.',
      };
    }
    return { ...item, jobId: job.id, status: 'queued' };
  });
}

/** How far the server's clock may be behind this browser's for a message to claim an item. */
const CLAIM_CLOCK_SLACK_MS = 5 * 60_000;

/**
 * A `message.created` by me arrived (or a page loaded after a reload holds it): the oldest in-flight item of that room with the same text
 * (and file name) is hidden until its job confirms or refutes the match, so that the message
 * never shows twice in between.
 */
export function withClaim(outbox: OutboxItem[], message: Message, meId: string): OutboxItem[] {
  if (message.author.id !== meId) return outbox;
  if (outbox.some((item) => item.messageId === message.id || item.claimedBy === message.id)) return outbox;
  const written = Date.parse(message.createdAt);
  const candidate = outbox.find(
    (item) =>
      item.roomId === message.roomId &&
      // Not an older message with the same words ("ok"), allowing for clocks that disagree.
      !(written < Date.parse(item.createdAt) - CLAIM_CLOCK_SLACK_MS) &&
      item.status !== 'failed' &&
      item.messageId === undefined &&
      item.claimedBy === undefined &&
      item.text.trim() === message.text.trim() &&
      (item.kind === 'file') === (message.attachment !== undefined) &&
      (item.file === undefined || item.file.name === message.attachment?.fileName),
  );
  return candidate ? updateItem(outbox, candidate.localId, { claimedBy: message.id }) : outbox;
}

/** Drops the items whose message is now in the timeline; returns the dropped ones too. */
export function withoutDelivered(
  outbox: OutboxItem[],
  isInTimeline: (roomId: string, messageId: string) => boolean,
): { outbox: OutboxItem[]; delivered: OutboxItem[] } {
  const delivered = outbox.filter(
    (item) => item.messageId !== undefined && isInTimeline(item.roomId, item.messageId),
  );
  if (delivered.length === 0) return { outbox, delivered };
  return { outbox: outbox.filter((item) => !delivered.includes(item)), delivered };
}

/** The items to draw under a room's messages. */
export function visibleOutbox(outbox: OutboxItem[], roomId: string): OutboxItem[] {
  return outbox.filter(
    (item) => item.roomId === roomId && !(item.claimedBy !== undefined && item.status !== 'failed'),
  );
}
