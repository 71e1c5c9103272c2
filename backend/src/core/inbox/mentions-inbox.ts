/**
 * The Mentions inbox (`GET /mentions`): what `record-mentions.ts` wrote for the caller, in the
 * rooms they are a member of now (a room they left, or cannot read, lists nothing), newest
 * first, each marked unread when it is after the caller's read cursor in its room.
 */
import { MENTIONS_UNREAD_CAP, type MentionsResponse, permalinkOf } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import type { Database } from '../ports/database.js';

export class MentionsInbox {
  constructor(private readonly db: Database) {}

  async list(principal: Principal, query: { limit: number; before?: string }): Promise<MentionsResponse> {
    const userId = principal.user.id;
    // The count first, then the page: read cursors only move forward, so the page is at least
    // as new as the count and never shows as unread what the count no longer counts (run side
    // by side on two PostgreSQL connections, an ack could land between them the other way).
    const unreadCount = await this.db.mentions.unreadCountOf(userId, MENTIONS_UNREAD_CAP);
    const rows = await this.db.mentions.inboxOf(userId, {
      limit: query.limit,
      ...(query.before ? { before: query.before } : {}),
    });
    const page = rows.slice(0, query.limit);
    const hasMore = rows.length > query.limit;
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        message: row.message,
        room: row.room,
        reason: row.reason,
        unread: row.seq > row.ackSeq,
        permalink: permalinkOf(row.room.slug, row.message.id),
      })),
      hasMore,
      ...(hasMore && last ? { nextCursor: last.message.id } : {}),
      unreadCount,
    };
  }
}
