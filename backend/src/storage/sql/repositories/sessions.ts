import type { ExpressionBuilder, Kysely } from 'kysely';
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
        last_seen_at: session.lastSeenAt ?? null,
        user_agent: session.userAgent ?? null,
      })
      .execute();
  }

  async liveAmong(sessionIds: string[], now: string, idleCutoff?: string): Promise<Set<string>> {
    const live = new Set<string>();
    for (const chunk of chunks(sessionIds, MAX_IDS_PER_QUERY)) {
      const rows = await this.db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select('s.id')
        .where('s.id', 'in', chunk)
        .where('s.revoked_at', 'is', null)
        .where('s.expires_at', '>', now)
        .where((eb) => notIdle(eb, idleCutoff))
        .where('u.deactivated_at', 'is', null)
        .execute();
      for (const row of rows) live.add(row.id);
    }
    return live;
  }

  async findLive(
    key: { tokenHash: string } | { id: string },
    now: string,
    idleCutoff?: string,
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
        's.last_seen_at as s_last_seen_at',
        's.user_agent as s_user_agent',
      ])
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', now)
      .where((eb) => notIdle(eb, idleCutoff))
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
        lastSeenAt: row.s_last_seen_at,
        userAgent: row.s_user_agent,
      },
      user: toUserRecord(row),
    };
  }

  async listLiveOf(userId: string, now: string, idleCutoff?: string): Promise<SessionRecord[]> {
    const rows = await this.db
      .selectFrom('sessions as s')
      .selectAll('s')
      .where('s.user_id', '=', userId)
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', now)
      .where((eb) => notIdle(eb, idleCutoff))
      .orderBy((eb) => eb.fn.coalesce('s.last_seen_at', 's.created_at'), 'desc')
      .orderBy('s.id', 'desc')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      tokenHash: row.token_hash,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      lastSeenAt: row.last_seen_at,
      userAgent: row.user_agent,
    }));
  }

  async touch(sessionIds: string[], now: string, staleBefore: string, idleCutoff?: string): Promise<void> {
    for (const chunk of chunks(sessionIds, MAX_IDS_PER_QUERY)) {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: now })
        .where('id', 'in', chunk)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .where((eb) =>
          eb.or([
            eb('last_seen_at', 'is', null),
            idleCutoff === undefined
              ? eb('last_seen_at', '<', staleBefore)
              : eb.and([eb('last_seen_at', '<', staleBefore), eb('last_seen_at', '>', idleCutoff)]),
          ]),
        )
        .execute();
    }
  }

  async revokeAllOf(userId: string, now: string, exceptSessionId?: string): Promise<string[]> {
    let query = this.db
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (exceptSessionId !== undefined) query = query.where('id', '!=', exceptSessionId);
    const rows = await query.returning('id').execute();
    return rows.map((row) => row.id);
  }

  async revokeOf(userId: string, sessionId: string, now: string): Promise<boolean> {
    const row = await this.db
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
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

/**
 * Not idle: last seen after the cutoff. A session never seen since migration 009 (null) is
 * judged by its absolute expiry alone; its next use records a time.
 */
function notIdle(
  eb: ExpressionBuilder<Tables & { s: Tables['sessions'] }, 's'>,
  idleCutoff: string | undefined,
) {
  if (idleCutoff === undefined) return eb.lit(true);
  return eb.or([eb('s.last_seen_at', 'is', null), eb('s.last_seen_at', '>', idleCutoff)]);
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
