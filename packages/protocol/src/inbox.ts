/**
 * The Mentions inbox (`GET /mentions`): messages across the caller's rooms that call on them
 * (`@username`, `@room`, `@here`) or answer them (a reply to their message, a reply in a thread
 * they started or replied in), newest first.
 */
import { z } from 'zod';
import type { Message } from './models.js';
import type { SearchResultRoom } from './search.js';

export const MENTIONS_PAGE_DEFAULT = 30;
export const MENTIONS_PAGE_MAX = 100;
/** The unread count stops counting here (the web app shows `99+`). */
export const MENTIONS_UNREAD_CAP = 100;

/**
 * Why a message is in the inbox, strongest first: the caller by name, everyone (`@room` /
 * `@here`), a reply to the caller's message, a reply in a thread the caller took part in.
 */
export const MENTION_REASONS = ['mention', 'room', 'reply', 'thread'] as const;
export type MentionReason = (typeof MENTION_REASONS)[number];

export interface MentionItem {
  message: Message;
  /** The room it is in: enough to name it and link to it. */
  room: SearchResultRoom;
  reason: MentionReason;
  /** After the caller's read cursor in that room (`seq` > the room's `ackSeq`). */
  unread: boolean;
  /** Where the web app shows it: `/r/<slug>/m/<messageId>`. */
  permalink: string;
}

export interface MentionsResponse {
  /** Newest first. */
  items: MentionItem[];
  hasMore: boolean;
  /** Pass as `before` for the next (older) page; present when `hasMore`. */
  nextCursor?: string;
  /** Unread entries in all the caller's rooms, counted up to `MENTIONS_UNREAD_CAP`. */
  unreadCount: number;
}

const decimal = (message: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, message)
    .transform(Number);

/** `GET /mentions?before=&limit=` */
export const mentionsQuery = z.object({
  limit: decimal('must be an integer')
    .pipe(
      z.number().min(1, 'must be at least 1').max(MENTIONS_PAGE_MAX, `must be at most ${MENTIONS_PAGE_MAX}`),
    )
    .default(MENTIONS_PAGE_DEFAULT),
  before: z.uuid({ error: 'must be a nextCursor from an earlier page' }).optional(),
});
export type MentionsQuery = z.infer<typeof mentionsQuery>;

/** The web app's permalink of a message. */
export const permalinkOf = (slug: string, messageId: string): string =>
  `/r/${encodeURIComponent(slug)}/m/${encodeURIComponent(messageId)}`;
