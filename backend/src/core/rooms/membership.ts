import type { EventBase, RoomRole, UserRef } from '@parley/protocol';
import { nowIso } from '../clock.js';
import type { Repositories } from '../ports/database.js';
import { appendEvent } from './room-log.js';

type Person = { id: string; username: string; displayName: string };

/** Adds a member and records `member.joined` in the same transaction. */
export async function joinRoom(
  tx: Repositories,
  roomId: string,
  user: Person,
  role: RoomRole,
  actor: Person,
): Promise<EventBase<'member.joined', { user: UserRef }>> {
  await tx.memberships.insert({ roomId, userId: user.id, role, joinedAt: nowIso(), ackSeq: 0 });
  return appendEvent(tx, roomId, actor, () => ({
    type: 'member.joined' as const,
    data: { user: { id: user.id, username: user.username, displayName: user.displayName } },
  }));
}
