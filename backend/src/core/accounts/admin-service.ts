import type { AccountSummary, Room } from '@parley/protocol';
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
  async deactivate(principal: Principal, userId: string): Promise<AccountSummary> {
    requireInstanceAdmin(principal);
    if (userId === principal.user.id) throw conflict('You cannot deactivate your own account.');
    const user = await this.db.users.findById(userId);
    if (!user) throw notFound('No such user.');
    const now = nowIso();
    await this.work.run(async (tx) => {
      await tx.users.deactivate(userId, now);
      for (const sessionId of await tx.sessions.revokeAllOf(userId, now)) {
        tx.publishAfterCommit({ kind: 'session-ended', sessionId });
      }
    });
    return toSummary({ ...user, deactivatedAt: user.deactivatedAt ?? now });
  }
}

export function requireInstanceAdmin(principal: Principal): void {
  if (principal.user.role !== 'admin') throw forbidden('Only an instance admin can do that.');
}
