/**
 * A thread root's summary after one more reply: counted, its time the latest, its author first
 * among the latest repliers (each named once, at most three).
 */
import { THREAD_LAST_REPLIERS, type ThreadSummary, type UserRef } from '@parley/protocol';

export function withReply(summary: ThreadSummary | undefined, author: UserRef, at: string): ThreadSummary {
  const others = (summary?.lastRepliers ?? []).filter((user) => user.id !== author.id);
  return {
    replyCount: (summary?.replyCount ?? 0) + 1,
    lastReplyAt: at,
    lastRepliers: [author, ...others].slice(0, THREAD_LAST_REPLIERS),
  };
}
