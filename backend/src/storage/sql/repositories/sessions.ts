import type { Kysely } from 'kysely';
import type { SessionsRepository, TicketsRepository } from '../../../core/ports/database.js';
import type { SessionRecord, UserRecord } from '../../../core/ports/records.js';
import { chunks, MAX_IDS_PER_QUERY } from '../chunks.js';
import type { Tables } from '../schema.js';
import { toUserRecord } from './users.js';

export class SqlSessions implements SessionsRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async insert(session: SessionRecord): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: session.id,
        user_id: session.userId,
        token_hash: session.tokenHash,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        revoked_at: session.revokedAt,
      })
      .execute();
  }

  async liveAmong(sessionIds: string[], now: string): Promise<Set<string>> {
    const live = new Set<string>();
    for (const chunk of chunks(sessionIds, MAX_IDS_PER_QUERY)) {
      const rows = await this.db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select('s.id')
        .where('s.id', 'in', chunk)
        .where('s.revoked_at', 'is', null)
        .where('s.expires_at', '>', now)
        .where('u.deactivated_at', 'is', null)
        .execute();
      for (const row of rows) live.add(row.id);
    }
    return live;
  }

  async findLive(
    key: { tokenHash: string } | { id: string },
    now: string,
  ): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
    let query = this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('u')
      .select([
        's.id as s_id',
        's.token_hash as s_token_hash',
        's.created_at as s_created_at',
        's.expires_at as s_expires_at',
      ])
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', now)
      .where('u.deactivated_at', 'is', null);
    query =
      'tokenHash' in key ? query.where('s.token_hash', '=', key.tokenHash) : query.where('s.id', '=', key.id);
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    return {
      session: {
        id: row.s_id,
        userId: row.id,
        tokenHash: row.s_token_hash,
        createdAt: row.s_created_at,
        expiresAt: row.s_expires_at,
        revokedAt: null,
      },
      user: toUserRecord(row),
    };
  }

  async revokeAllOf(userId: string, now: string): Promise<string[]> {
    const rows = await this.db
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  async revoke(sessionId: string, now: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
  }
}

export class SqlTickets implements TicketsRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async insert(ticket: {
    ticketHash: string;
    sessionId: string;
    userId: string;
    expiresAt: string;
  }): Promise<void> {
    await this.db
      .insertInto('ws_tickets')
      .values({
        ticket_hash: ticket.ticketHash,
        session_id: ticket.sessionId,
        user_id: ticket.userId,
        expires_at: ticket.expiresAt,
        used_at: null,
      })
      .execute();
  }

  async consume(ticketHash: string, now: string): Promise<{ sessionId: string; userId: string } | undefined> {
    // One conditional update: of two concurrent redemptions, only one matches `used_at is null`.
    const row = await this.db
      .updateTable('ws_tickets')
      .set({ used_at: now })
      .where('ticket_hash', '=', ticketHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['session_id', 'user_id'])
      .executeTakeFirst();
    return row && { sessionId: row.session_id, userId: row.user_id };
  }

  async deleteExpired(now: string): Promise<void> {
    await this.db.deleteFrom('ws_tickets').where('expires_at', '<', now).execute();
  }
}
