import { isOfflineCopy, type OfflineCopy } from './offlineCopy';
import { outboxStorageKey } from './outboxStorage';

/**
 * Where the offline copy lives: one `localStorage` entry for the last user signed in on this
 * device (a second user signing in replaces it, signing out removes it). Never the service
 * worker's Cache: API answers stay out of it, so nothing of a user's chat is served by URL.
 */
export interface OfflineCopyStorage {
  /** The kept copy, if it belongs to `userId` (any user's when omitted). */
  load(userId?: string): OfflineCopy | undefined;
  save(copy: OfflineCopy): void;
  clear(): void;
}

export const OFFLINE_COPY_KEY = 'parley:offline-copy:v1';

export function browserOfflineCopyStorage(
  storage: Storage | undefined = safeLocalStorage(),
): OfflineCopyStorage {
  return {
    load(userId) {
      try {
        const text = storage?.getItem(OFFLINE_COPY_KEY);
        if (!text) return undefined;
        const copy: unknown = JSON.parse(text);
        if (!isOfflineCopy(copy)) return undefined;
        return userId === undefined || copy.me.id === userId ? copy : undefined;
      } catch {
        return undefined;
      }
    },
    save(copy) {
      try {
        storage?.setItem(OFFLINE_COPY_KEY, JSON.stringify(copy));
      } catch {
        // Full or disabled storage: the app works the same, only not from a reload offline.
        this.clear();
      }
    },
    clear() {
      try {
        storage?.removeItem(OFFLINE_COPY_KEY);
      } catch {
        // Nothing to remove from storage one cannot use.
      }
    },
  };
}

/**
 * Signing out on a device removes what it kept of that user's chat: the offline copy and the
 * messages still waiting to be sent (on a shared computer the next person must not find them).
 */
export function forgetDeviceData(
  userId: string | undefined,
  storage: Storage | undefined = safeLocalStorage(),
): void {
  browserOfflineCopyStorage(storage).clear();
  if (userId === undefined) return;
  try {
    storage?.removeItem(outboxStorageKey(userId));
  } catch {
    // As above.
  }
}

/**
 * Another user signing in on this device: the previous user's copy goes (one user's at a time).
 */
export function keepOnlyUser(copies: OfflineCopyStorage, userId: string): void {
  const kept = copies.load();
  if (kept && kept.me.id !== userId) copies.clear();
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
