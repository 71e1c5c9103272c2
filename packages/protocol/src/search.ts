/**
 * Search and permalinks: `GET /search`, `GET /messages/:id`, and a page of history centred on
 * one message (`GET /rooms/:id/messages?around=SEQ`).
 */
import { z } from 'zod';
import type { Message, RoomVisibility } from './models.js';

/** The longest search query, in UTF-16 units. */
export const SEARCH_QUERY_MAX = 500;
export const SEARCH_PAGE_DEFAULT = 20;
export const SEARCH_PAGE_MAX = 50;
/** A window around a permalinked message: how many messages by default and at most. */
export const AROUND_PAGE_DEFAULT = 50;
export const AROUND_PAGE_MAX = 200;

/** The room a search result is in, enough to name it and link to it. */
export interface SearchResultRoom {
  id: string;
  slug: string;
  name: string;
  kind: RoomVisibility;
}

export interface SearchResult {
  message: Message;
  room: SearchResultRoom;
}

export interface SearchResponse {
  /** Newest first. */
  results: SearchResult[];
  hasMore: boolean;
  /** Pass as `before` for the next (older) page; present when `hasMore`. */
  nextCursor?: string;
  /** The free terms and phrases of the query, lower-cased: what a client highlights. */
  terms: string[];
}

/** `GET /rooms/:id/messages?around=SEQ`: the message at SEQ (when there is one) and both sides. */
export interface MessagesAroundResponse {
  /** Ascending seq. */
  messages: Message[];
  /** Older messages exist before the first one. */
  hasMore: boolean;
  /** Newer messages exist after the last one. */
  hasMoreAfter: boolean;
}

const decimal = (message: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, message)
    .transform(Number);

export const searchQuery = z.object({
  q: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'must not be empty')
    .max(SEARCH_QUERY_MAX, `must be at most ${SEARCH_QUERY_MAX} characters`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing U+0000, as everywhere
    .regex(/^[^\u0000]*$/, 'must not contain the NUL character (U+0000)'),
  limit: decimal('must be an integer')
    .pipe(z.number().min(1, 'must be at least 1').max(SEARCH_PAGE_MAX, `must be at most ${SEARCH_PAGE_MAX}`))
    .default(SEARCH_PAGE_DEFAULT),
  before: z.uuid({ error: 'must be a nextCursor from an earlier page' }).optional(),
});
export type SearchQueryParams = z.infer<typeof searchQuery>;

export const messagesAroundQuery = z.object({
  around: decimal('must be a non-negative integer'),
  limit: decimal('must be an integer')
    .pipe(z.number().min(1, 'must be at least 1').max(AROUND_PAGE_MAX, `must be at most ${AROUND_PAGE_MAX}`))
    .default(AROUND_PAGE_DEFAULT),
});
