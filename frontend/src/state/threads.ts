import { type Message, THREAD_LAST_REPLIERS } from '@parley/protocol';

/**
 * Threads in the app's state. The server sends a root's summary (`thread`) in history pages;
 * events are immutable records, so after that the app keeps it current itself by counting each
 * `message.created` of a reply in the root's thread (the room log is gapless: none is missed or
 * counted twice).
 */

/** A reply sent only to its thread: the room's timeline leaves it out (its root counts it). */
export function isThreadOnly(message: Pick<Message, 'threadId' | 'alsoToRoom'>): boolean {
  return message.threadId !== undefined && message.alsoToRoom !== true;
}

/** The thread a message opens: its own when it is a root, its root's when it is a reply. */
export function threadRootOf(message: Pick<Message, 'id' | 'threadId'>): string {
  return message.threadId ?? message.id;
}

/** The loaded messages with one more reply counted on its root (if the root is loaded). */
export function withThreadReply(messages: Message[], reply: Message): Message[] {
  const rootId = reply.threadId;
  if (rootId === undefined) return messages;
  return messages.map((message) => {
    if (message.id !== rootId) return message;
    const previous = message.thread;
    const others = (previous?.lastRepliers ?? []).filter((user) => user.id !== reply.author.id);
    return {
      ...message,
      thread: {
        replyCount: (previous?.replyCount ?? 0) + 1,
        lastReplyAt: reply.createdAt,
        lastRepliers: [reply.author, ...others].slice(0, THREAD_LAST_REPLIERS),
      },
    };
  });
}

/** The replies of a thread among loaded messages, ascending by seq. */
export function repliesIn(messages: readonly Message[], rootId: string): Message[] {
  return messages.filter((message) => message.threadId === rootId).sort((a, b) => a.seq - b.seq);
}
