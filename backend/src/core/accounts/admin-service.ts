import type { AccountSummary, AuditEvent, AuditQuery, Room } from '@parley/protocol';
import { accountsNamedBy, audit, toAuditEvent } from '../audit/audit-log.js';
import { nowIso } from '../clock.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { Database } from '../ports/database.js';
import type { UserRecord } from '../ports/records.js';
import { toRoom } from '../rooms/room-view.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { type Principal, toUser } from './principal.js';

const toSummary = (record: UserRecord): AccountSummary => ({
  ...toUser(record),
  createdAt: record.createdAt,
  deactivated: record.deactivatedAt !== null,
});

/** What only an instance admin may do: see every account and room, deactivate accounts. */
export class AdminService {
  constructor(
    private readonly db: Database,
    private readonly work: UnitOfWork,
  ) {}

  async users(principal: Principal): Promise<AccountSummary[]> {
    requireInstanceAdmin(principal);
    return (await this.db.users.list()).map(toSummary);
  }

  async rooms(principal: Principal): Promise<Room[]> {
    requireInstanceAdmin(principal);
    return (await this.db.rooms.listAll()).map((room) => toRoom(room, null));
  }

  /** Deactivates an account: it cannot sign in, and its sessions and sockets end at once. */
  async deactivate(principal: Principal, userId: string, clientAddress?: string): Promise<AccountSummary> {
    requireInstanceAdmin(principal);
    if (userId === principal.user.id) throw conflict('You cannot deactivate your own account.');
    const user = await this.db.users.findById(userId);
    if (!user) throw notFound('No such user.');
    const now = nowIso();
    await this.work.run(async (tx) => {
      await tx.users.deactivate(userId, now);
      const ended = await tx.sessions.revokeAllOf(userId, now);
      for (const sessionId of ended) tx.publishAfterCommit({ kind: 'session-ended', sessionId });
      await audit(tx, now, {
        type: 'user.deactivated',
        actorId: principal.user.id,
        targetId: userId,
        clientAddress,
        details: { username: user.username, sessionsEnded: ended.length },
      });
    });
    return toSummary({ ...user, deactivatedAt: user.deactivatedAt ?? now });
  }

  /**
   * A page of the audit log, newest first: the newest `limit` events, or those older than
   * `before` (an event's id, or an ISO time); `hasMore` when older ones remain.
   */
  async auditLog(
    principal: Principal,
    query: AuditQuery,
  ): Promise<{ events: AuditEvent[]; hasMore: boolean }> {
    requireInstanceAdmin(principal);
    const before =
      query.before === undefined
        ? undefined
        : query.before.includes('T')
          ? { at: query.before }
          : { id: query.before };
    const records = await this.db.audit.list({ ...(before ? { before } : {}), limit: query.limit + 1 });
    const page = records.slice(0, query.limit);
    const accounts = new Map<string, UserRecord>();
    await Promise.all(
      accountsNamedBy(page).map(async (id) => {
        const user = await this.db.users.findById(id);
        if (user) accounts.set(id, user);
      }),
    );
    return {
      events: page.map((record) => toAuditEvent(record, accounts)),
      hasMore: records.length > query.limit,
    };
  }
}

export function requireInstanceAdmin(principal: Principal): void {
  if (principal.user.role !== 'admin') throw forbidden('Only an instance admin can do that.');
}
