import type { MentionReason, Message, SearchResultRoom } from '@parley/protocol';

/** Who a message calls on: a user id, or `EVERYONE` (`@room` / `@here`). */
export interface MentionRecord {
  recipientId: string;
  messageId: string;
  roomId: string;
  seq: number;
  reason: MentionReason;
}

/** The recipient of a room-wide mention (`@room`, `@here`): every member but the author. */
export const EVERYONE = '*';

/** One inbox entry as stored, with what the reader needs to show it and judge it read. */
export interface InboxRow {
  message: Message;
  room: SearchResultRoom;
  reason: MentionReason;
  seq: number;
  /** The reader's read cursor in that room. */
  ackSeq: number;
}

/** The Mentions inbox: written with each message, read per user across their rooms. */
export interface MentionsRepository {
  /** Ids of the room's members among these usernames (lower case). */
  membersNamed(roomId: string, usernames: string[]): Promise<string[]>;
  /** Who took part in a thread: its root's author and every reply's author. */
  threadParticipants(rootId: string): Promise<string[]>;
  /** Call it in the message's transaction. */
  insert(rows: MentionRecord[]): Promise<void>;
  /**
   * The newest `limit` (+1, to tell whether there are more) entries of `userId` older than the
   * message `before`, in rooms the user is a member of now, of live messages; a room-wide one
   * only of someone else's message; newest first, one per message (the strongest reason).
   */
  inboxOf(userId: string, page: { before?: string; limit: number }): Promise<InboxRow[]>;
  /** How many of those are after the user's read cursor in their room, counted up to `cap`. */
  unreadCountOf(userId: string, cap: number): Promise<number>;
  /** Who a message calls on (a user id, or `EVERYONE`). */
  ofMessage(messageId: string): Promise<{ recipientId: string; reason: MentionReason }[]>;
}
