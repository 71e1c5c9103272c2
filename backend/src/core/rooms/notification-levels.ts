/**
 * A member's notification level in a room (all, mentions, mute). It is the member's own
 * preference, kept on their membership: nobody else sees it, it changes nothing in the room's
 * log, and only a member has one (a private room is not_found to others, as everywhere).
 */
import type { NotifyLevel, Room } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import type { Database } from '../ports/database.js';
import { requireMember } from './access.js';
import { toRoom } from './room-view.js';

export class NotificationLevels {
  constructor(private readonly db: Database) {}

  /** Sets the caller's level and answers with the room as the caller now sees it. */
  async set(principal: Principal, roomId: string, level: NotifyLevel): Promise<Room> {
    const { room, membership } = await requireMember(this.db, principal, roomId);
    await this.db.memberships.setNotifyLevel(roomId, principal.user.id, level);
    return toRoom(room, membership.role, membership.ackSeq, level);
  }
}
