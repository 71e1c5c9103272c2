import type { OutboxItem, OutboxStatus } from './outbox';

/**
 * The outbox kept across reloads, per user. Only text messages are kept: a file lives in a
 * `File` object that cannot be written to storage (and re-reading it after a reload would need
 * the person to pick it again), so pending uploads are lost with the page.
 */
export interface OutboxStorage {
  load(): OutboxItem[];
  save(outbox: readonly OutboxItem[]): void;
}

/** One stored item: what is needed to send it again with the same idempotency key. */
export interface StoredOutboxItem {
  localId: string;
  roomId: string;
  text: string;
  idempotencyKey: string;
  createdAt: string;
  state: OutboxStatus;
  error?: string;
  jobFailed?: boolean;
}

/**
 * The server keeps an idempotency key for 24 hours. An item older than this is not resent by
 * itself: with the key forgotten, a resend could double a message that did arrive.
 */
export const RESEND_WINDOW_MS = 23 * 60 * 60 * 1000;

export function outboxStorageKey(userId: string): string {
  return `parley:outbox:v1:${userId}`;
}

/** The items worth keeping: text messages whose message is not known to exist yet. */
export function toStored(outbox: readonly OutboxItem[]): StoredOutboxItem[] {
  return outbox
    .filter((item) => item.kind === 'message' && item.messageId === undefined)
    .map((item) => ({
      localId: item.localId,
      roomId: item.roomId,
      text: item.text,
      idempotencyKey: item.idempotencyKey,
      createdAt: item.createdAt,
      state: item.status,
      ...(item.error !== undefined && item.status === 'failed' ? { error: item.error } : {}),
      ...(item.jobFailed ? { jobFailed: true } : {}),
    }));
}

/**
 * Items read back after a reload: whatever had not failed waits to be sent again with its key
 * (the server replays the job if the first request did arrive); a failed one stays failed.
 */
export function fromStored(stored: unknown, now = Date.now()): OutboxItem[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(isStoredItem).map((item): OutboxItem => {
    const base = {
      localId: item.localId,
      idempotencyKey: item.idempotencyKey,
      roomId: item.roomId,
      kind: 'message' as const,
      text: item.text,
      createdAt: item.createdAt,
    };
    if (item.state === 'failed') {
      return {
        ...base,
        status: 'failed',
        ...(item.error !== undefined ? { error: item.error } : {}),
        ...(item.jobFailed ? { jobFailed: true } : {}),
      };
    }
    if (now - Date.parse(item.createdAt) > RESEND_WINDOW_MS) {
      return {
        ...base,
        status: 'failed',
        jobFailed: true,
        error: 'It was not confirmed within a day. Check the conversation before sending it again.',
      };
    }
    return { ...base, status: 'waiting' };
  });
}

function isStoredItem(value: unknown): value is StoredOutboxItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    ['localId', 'roomId', 'text', 'idempotencyKey', 'createdAt', 'state'].every(
      (field) => typeof item[field] === 'string',
    ) && !Number.isNaN(Date.parse(item.createdAt as string))
  );
}

/**
 * The outbox in `localStorage` under a key per user id. Storage that is full, disabled or holds
 * something unreadable never breaks sending: the outbox then lives in memory only.
 */
export function browserOutboxStorage(userId: string, storage: Storage | undefined = safeLocalStorage()) {
  const key = outboxStorageKey(userId);
  let written: string | undefined;
  return {
    load(): OutboxItem[] {
      try {
        const text = storage?.getItem(key);
        written = text ?? undefined;
        return text ? fromStored(JSON.parse(text)) : [];
      } catch {
        return [];
      }
    },
    save(outbox: readonly OutboxItem[]): void {
      const items = toStored(outbox);
      const text = items.length > 0 ? JSON.stringify(items) : undefined;
      if (text === written) return;
      try {
        if (text === undefined) storage?.removeItem(key);
        else storage?.setItem(key, text);
        written = text;
      } catch {
        // Full or disabled storage: the items are still sent from memory.
      }
    },
  } satisfies OutboxStorage;
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Storage that keeps nothing: the default where none is given (tests of other behaviour). */
export const noOutboxStorage: OutboxStorage = {
  load: () => [],
  save: () => undefined,
};
