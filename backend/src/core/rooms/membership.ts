/**
 * Changes of who is in a room, inside the caller's transaction: each is an event in the room's
 * log and, after the commit, a `membership-changed` message that starts or stops the room's
 * flow on the user's live sockets.
 */
import type { EventBase, RoomEvent, RoomRole, UserRef } from '@parley/protocol';
import { toUserRef } from '../accounts/principal.js';
import { nowIso } from '../clock.js';
import type { RoomRecord } from '../ports/records.js';
import type { Transaction } from '../unit-of-work.js';
import { appendEvent } from './room-log.js';

export type MemberJoined = EventBase<'member.joined', { user: UserRef }>;

/** Adds a member and records `member.joined`; its sockets start the room at that event. */
export async function joinRoom(
  tx: Transaction,
  roomId: string,
  user: UserRef,
  role: RoomRole,
  actor: UserRef,
): Promise<MemberJoined> {
  await tx.memberships.insert({ roomId, userId: user.id, role, joinedAt: nowIso(), ackSeq: 0 });
  const event = await appendEvent<MemberJoined>(tx, roomId, actor, () => ({
    type: 'member.joined',
    data: { user: toUserRef(user) },
  }));
  tx.publishAfterCommit({
    kind: 'membership-changed',
    userId: user.id,
    roomId,
    member: true,
    lastSeq: event.seq,
  });
  return event;
}

/**
 * Removes a member with `member.left`; an owner who leaves hands the room to its first admin,
 * or else its longest-standing member. The leaver's sockets stop after the last of these
 * events, so the leaver still sees its own departure.
 */
export async function leaveRoom(
  tx: Transaction,
  room: RoomRecord,
  user: UserRef,
  actor: UserRef,
): Promise<RoomEvent[]> {
  const leaving = await tx.memberships.find(room.id, user.id);
  await tx.memberships.delete(room.id, user.id);
  const events: RoomEvent[] = [
    await appendEvent(tx, room.id, actor, () => ({
      type: 'member.left' as const,
      data: { user: toUserRef(user) },
    })),
  ];
  if (leaving?.role === 'owner') {
    const remaining = await tx.memberships.list(room.id);
    const heir = remaining.find((member) => member.role === 'admin') ?? remaining[0];
    if (heir) {
      await tx.memberships.setRole(room.id, heir.userId, 'owner');
      events.push(
        await appendEvent(tx, room.id, actor, () => ({
          type: 'member.role_changed' as const,
          data: { user: toUserRef(heir.user), role: 'owner' as const },
        })),
      );
    }
  }
  tx.publishAfterCommit({
    kind: 'membership-changed',
    userId: user.id,
    roomId: room.id,
    member: false,
    lastSeq: events.at(-1)?.seq ?? 0,
  });
  return events;
}
