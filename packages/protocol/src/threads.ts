/**
 * Replies and threads. A message sent with `replyTo` belongs to the thread of its root: `threadId`
 * is the replied message's own `threadId`, or the replied message itself. A reply stays in its
 * thread unless sent with `alsoToRoom`, then the room's timeline shows it too (as a quote).
 */
import type { Message } from './models.js';
import { eventsQuery } from './schemas.js';

/** `GET /messages/:id/thread`: the root, then its replies ascending by seq. */
export interface ThreadPage {
  root: Message;
  replies: Message[];
  hasMore: boolean;
}

/** How many repliers a summary names. */
export const THREAD_LAST_REPLIERS = 3;

/** `?after=SEQ&limit=N` of a thread's replies: the same rules as a page of events. */
export const threadQuery = eventsQuery;
