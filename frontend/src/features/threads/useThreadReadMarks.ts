import type { Message } from '@parley/protocol';
import { useCallback, useMemo, useState } from 'react';

/**
 * Per-thread read marks, kept in this browser only (localStorage, per account): how many
 * replies of each thread were on screen when it was last open. A thread never opened here has
 * no mark, and shows no unread count.
 */
export type ReadMarks = Readonly<Record<string, number>>;

const storageKey = (userId: string) => `parley.threadReads.${userId}`;
/** The marks kept: the most recently marked threads, so the stored list stays small. */
const MAX_MARKS = 500;

function load(userId: string): ReadMarks {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(userId)) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as ReadMarks) : {};
  } catch {
    return {};
  }
}

/** Unread replies per root among loaded messages: replies counted since the thread's mark. */
export function unreadReplies(messages: readonly Message[], marks: ReadMarks): Map<string, number> {
  const unread = new Map<string, number>();
  for (const message of messages) {
    const seen = marks[message.id];
    if (message.thread && seen !== undefined && message.thread.replyCount > seen) {
      unread.set(message.id, message.thread.replyCount - seen);
    }
  }
  return unread;
}

export function useThreadReadMarks(userId: string) {
  const [marks, setMarks] = useState<ReadMarks>(() => load(userId));
  const markSeen = useCallback(
    (rootId: string, replyCount: number) => {
      setMarks((current) => {
        if ((current[rootId] ?? -1) >= replyCount) return current;
        const { [rootId]: _old, ...others } = current;
        const kept = Object.entries(others).slice(-(MAX_MARKS - 1));
        const next = { ...Object.fromEntries(kept), [rootId]: replyCount };
        try {
          localStorage.setItem(storageKey(userId), JSON.stringify(next));
        } catch {
          // Storage full or refused: the marks hold for this visit only.
        }
        return next;
      });
    },
    [userId],
  );
  return useMemo(() => ({ marks, markSeen }), [marks, markSeen]);
}
