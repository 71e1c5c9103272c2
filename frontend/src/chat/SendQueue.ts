import type { Job, Message } from '@parley/protocol';
import { describeError, isApiError } from '../api/ApiError';
import type { ChatStore } from '../state/ChatStore';
import {
  type OutboxItem,
  type OutboxReply,
  type OutboxStatus,
  updateItem,
  withClaim,
  withJob,
  withoutDelivered,
} from '../state/outbox';
import type { OutboxStorage } from '../state/outboxStorage';
import { hasMessage } from '../state/timeline';
import { overLimitMessage, tooLargeMessage } from '../state/uploadLimit';
import type { ChatContext } from './ChatContext';

export interface SendQueueOptions {
  newKey: () => string;
  /** Where the outbox survives a reload. */
  outboxStorage: OutboxStorage;
  /** Whether the browser believes it is online. */
  isOnline: () => boolean;
  /** First pause before sending waiting items again after a failed request, in ms (doubles up to 30 s). */
  resendDelayMs: number;
  /** The server's file size limit (MAX_UPLOAD_BYTES): a larger file is refused before uploading. */
  maxUploadBytes: () => number;
}

/** The longest pause between two rounds of resending waiting messages. */
const RESEND_MAX_DELAY_MS = 30_000;

/**
 * The outbox of own messages and files: shown at once, sent in order with idempotency keys,
 * sent again after a failure or a reload (it is kept in `outboxStorage`), and let go once the
 * message is in the timeline.
 */
export class SendQueue {
  private readonly store: ChatStore;
  /** Latest state of jobs seen in `job` frames, for a frame that beats the 202 answer. */
  private readonly jobsSeen = new Map<string, Job>();
  private readonly files = new Map<string, File>();
  private readonly unsubscribeStore: () => void;
  /** True while waiting items are being sent one after the other. */
  private flushing = false;
  private flushAgain = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Failed resend rounds in a row: the pause before the next one doubles with each. */
  private resendFailures = 0;

  constructor(
    private readonly ctx: ChatContext,
    private readonly options: SendQueueOptions,
  ) {
    this.store = ctx.store;
    // What was waiting when the page was last closed shows at once, and is sent once started.
    const restored = options.outboxStorage.load();
    if (restored.length > 0) this.store.updateOutbox((outbox) => [...restored, ...outbox]);
    let saved = this.store.getState().outbox;
    this.unsubscribeStore = this.store.subscribe(() => {
      const { outbox } = this.store.getState();
      if (outbox === saved) return;
      saved = outbox;
      options.outboxStorage.save(outbox);
    });
  }

  /** Stops saving the outbox and resending. */
  stop(): void {
    this.unsubscribeStore();
    clearTimeout(this.flushTimer);
  }

  /** Revokes the object URLs of the image previews still in the outbox. */
  revokePreviews(): void {
    for (const item of this.store.getState().outbox) revokePreview(item);
  }

  sendText(roomId: string, text: string, reply?: OutboxReply): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    const localId = this.options.newKey();
    // Through the queue, so that messages written offline, or behind a failed one, keep their order.
    this.add(
      {
        localId,
        idempotencyKey: localId,
        roomId,
        kind: 'message',
        text: trimmed,
        ...(reply ? { reply } : {}),
      },
      'waiting',
    );
    this.flush();
  }

  sendFile(roomId: string, file: File, caption = ''): void {
    const localId = this.options.newKey();
    this.files.set(localId, file);
    const previewUrl =
      file.type.startsWith('image/') && typeof URL.createObjectURL === 'function'
        ? URL.createObjectURL(file)
        : undefined;
    const offline = this.isOffline();
    const maxBytes = this.options.maxUploadBytes();
    // Over the limit: refused here, at once, instead of after the whole upload.
    const tooLarge = file.size > maxBytes;
    this.add(
      {
        localId,
        idempotencyKey: localId,
        roomId,
        kind: 'file',
        text: caption.trim(),
        file: { name: file.name, size: file.size, type: file.type, ...(previewUrl ? { previewUrl } : {}) },
        ...(tooLarge ? { error: tooLargeMessage(file, maxBytes), permanent: true } : { progress: 0 }),
      },
      tooLarge ? 'failed' : offline ? 'waiting' : 'sending',
    );
    if (tooLarge) {
      this.files.delete(localId);
      return;
    }
    // Uploads start at once, beside the text queue, so that a large file does not hold messages up.
    if (!offline) void this.submit(localId);
  }

  /** Sends a failed item again: same key if the request may not have arrived, a new one if its job failed. */
  retry(localId: string): void {
    const item = this.item(localId);
    if (item?.status !== 'failed' || item.permanent) return;
    const idempotencyKey = item.jobFailed ? this.options.newKey() : item.idempotencyKey;
    this.store.updateOutbox((outbox) =>
      outbox.map((entry) => {
        if (entry.localId !== localId) return entry;
        const { error: _error, jobId: _jobId, jobFailed: _jobFailed, ...rest } = entry;
        return {
          ...rest,
          idempotencyKey,
          status: 'waiting',
          ...(entry.kind === 'file' ? { progress: 0 } : {}),
        };
      }),
    );
    this.flush();
  }

  discard(localId: string): void {
    const item = this.item(localId);
    if (!item) return;
    revokePreview(item);
    this.files.delete(localId);
    this.store.updateOutbox((outbox) => outbox.filter((entry) => entry.localId !== localId));
  }

  /**
   * The connection is back: what waited is sent now (without the pause of earlier failures),
   * and jobs that may have finished (or failed) while away are asked for.
   */
  resume(): void {
    this.resendFailures = 0;
    this.flush();
    for (const item of this.store.getState().outbox) {
      if (item.jobId && item.status === 'queued' && item.messageId === undefined) {
        this.ctx.api.job(item.jobId).then(
          (job) => this.handleJob(job),
          () => undefined,
        );
      }
    }
  }

  /** Follows a job's state (from a `job` or `sent` frame, or GET /jobs/:id). */
  handleJob(job: Job): void {
    const previous = this.jobsSeen.get(job.id);
    if (!previous || rank(job) >= rank(previous)) this.jobsSeen.set(job.id, job);
    this.store.updateOutbox((outbox) => withJob(outbox, job));
    this.prune();
  }

  /**
   * Messages that reached the timeline (a history page or a live event): an item that looks like
   * one of them is hidden until its job says which message it is; delivered items are let go.
   */
  claim(messages: readonly Message[]): void {
    const me = this.store.getState().me.id;
    this.store.updateOutbox((outbox) =>
      messages.reduce((items, message) => withClaim(items, message, me), outbox),
    );
    this.prune();
  }

  /**
   * Sends the waiting items one after the other, in the order they were written, each with its
   * own idempotency key (a resend of a request that did arrive is answered with the same job).
   * Offline, nothing is tried: the `ready` of the next connection calls this again. A round stops
   * at the first request without an answer and is tried again after a pause.
   */
  flush(): void {
    if (this.ctx.isStopped() || this.isOffline()) return;
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    void (async () => {
      try {
        do {
          this.flushAgain = false;
          for (const { localId } of this.store.getState().outbox) {
            if (this.ctx.isStopped() || this.isOffline()) return;
            if (this.item(localId)?.status !== 'waiting') continue;
            if (!(await this.submit(localId))) return;
          }
        } while (this.flushAgain);
      } finally {
        this.flushing = false;
      }
    })();
  }

  private add(item: Omit<OutboxItem, 'status' | 'createdAt'>, status: OutboxStatus): void {
    const entry: OutboxItem = { ...item, status, createdAt: new Date().toISOString() };
    this.store.updateOutbox((outbox) => [...outbox, entry]);
  }

  /** Offline as far as sending goes: the browser says so, or the live connection is down. */
  private isOffline(): boolean {
    return !this.options.isOnline() || this.store.getState().connection === 'offline';
  }

  /** Another round of resending after a pause: `Retry-After` when given, else doubling from 1 s. */
  private scheduleFlush(retryAfterSeconds: number | undefined): void {
    if (this.ctx.isStopped()) return;
    const delay =
      retryAfterSeconds !== undefined
        ? retryAfterSeconds * 1000
        : Math.min(RESEND_MAX_DELAY_MS, this.options.resendDelayMs * 2 ** this.resendFailures);
    this.resendFailures += 1;
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, delay);
  }

  /**
   * One request for one item. True when it is settled (accepted, or refused for good); false
   * when it got no usable answer and waits to be sent again with the same key.
   */
  private async submit(localId: string): Promise<boolean> {
    const item = this.item(localId);
    if (!item) return true;
    this.store.updateOutbox((outbox) =>
      outbox.map((entry) => {
        if (entry.localId !== localId) return entry;
        const { error: _error, ...rest } = entry;
        return { ...rest, status: 'sending' };
      }),
    );
    try {
      let job: Job;
      if (item.kind === 'file') {
        const file = this.files.get(localId);
        if (!file) throw new Error('The file is no longer available; attach it again.');
        const upload = this.ctx.api.uploadFile({
          roomId: item.roomId,
          file,
          caption: item.text,
          idempotencyKey: item.idempotencyKey,
          onProgress: (progress) =>
            this.store.updateOutbox((outbox) => updateItem(outbox, localId, { progress })),
        });
        job = await upload.done;
      } else {
        job = item.reply
          ? await this.ctx.api.sendMessage(item.roomId, item.text, item.idempotencyKey, item.reply)
          : await this.ctx.api.sendMessage(item.roomId, item.text, item.idempotencyKey);
      }
      // A `job` frame may have overtaken the 202: keep the most advanced state.
      const seen = this.jobsSeen.get(job.id);
      const latest = seen && rank(seen) > rank(job) ? seen : job;
      this.store.updateOutbox((outbox) => withJob(outbox, latest, localId));
      this.prune();
      this.resendFailures = 0;
      return true;
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        this.ctx.endSession();
        return true;
      }
      if (isApiError(error) && error.isRetryable) {
        this.store.updateOutbox((outbox) =>
          updateItem(outbox, localId, { status: 'waiting', error: describeError(error) }),
        );
        this.scheduleFlush(error.retryAfterSeconds);
        return false;
      }
      if (isApiError(error) && error.code === 'payload_too_large') {
        // The same file will be too large on every try: no Retry, and the limit said plainly.
        const message = item.file
          ? tooLargeMessage(item.file, this.options.maxUploadBytes())
          : overLimitMessage(this.options.maxUploadBytes());
        this.store.updateOutbox((outbox) =>
          updateItem(outbox, localId, { status: 'failed', error: message, permanent: true }),
        );
        this.files.delete(localId);
        return true;
      }
      const jobFailed = isApiError(error) && error.code === 'idempotency_key_reused';
      this.store.updateOutbox((outbox) =>
        updateItem(outbox, localId, { status: 'failed', error: describeError(error), jobFailed }),
      );
      return true;
    }
  }

  /** Lets go of the items whose message is in its room's timeline. */
  private prune(): void {
    const { timelines } = this.store.getState();
    let delivered: OutboxItem[] = [];
    this.store.updateOutbox((outbox) => {
      const result = withoutDelivered(outbox, (roomId, messageId) =>
        hasMessage(timelines[roomId], messageId),
      );
      delivered = result.delivered;
      return result.outbox;
    });
    for (const item of delivered) {
      revokePreview(item);
      this.files.delete(item.localId);
    }
  }

  private item(localId: string): OutboxItem | undefined {
    return this.store.getState().outbox.find((item) => item.localId === localId);
  }
}

function rank(job: Job): number {
  return job.status === 'completed' || job.status === 'failed' ? 2 : job.status === 'processing' ? 1 : 0;
}

function revokePreview(item: OutboxItem): void {
  if (item.file?.previewUrl && typeof URL.revokeObjectURL === 'function')
    URL.revokeObjectURL(item.file.previewUrl);
}
