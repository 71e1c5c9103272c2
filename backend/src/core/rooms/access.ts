/**
 * Who may see what, decided here and nowhere else: only members read a room or send to it;
 * a private room or DM is not_found to everyone else, so its existence does not leak.
 */
import type { RoomRole } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { forbidden, notFound } from '../errors.js';
import type { Repositories } from '../ports/database.js';
import type { MembershipRecord, RoomRecord } from '../ports/records.js';

export interface RoomAccess {
  room: RoomRecord;
  membership: MembershipRecord | undefined;
}

const ROOM_NOT_FOUND = 'No such room.';

/** The room as the caller may know it: any public room, or a room the caller is in. */
export async function findVisibleRoom(
  repos: Repositories,
  principal: Principal,
  roomId: string,
): Promise<RoomAccess> {
  const room = await repos.rooms.findById(roomId);
  if (!room) throw notFound(ROOM_NOT_FOUND);
  const membership = await repos.memberships.find(roomId, principal.user.id);
  if (!membership && room.visibility !== 'public') throw notFound(ROOM_NOT_FOUND);
  return { room, membership };
}

/** The room, when the caller is a member (reading history, sending, downloading). */
export async function requireMember(
  repos: Repositories,
  principal: Principal,
  roomId: string,
): Promise<RoomAccess & { membership: MembershipRecord }> {
  const access = await findVisibleRoom(repos, principal, roomId);
  if (!access.membership) throw forbidden('Join this room first.');
  return { room: access.room, membership: access.membership };
}

export const isModerator = (role: RoomRole | undefined): boolean => role === 'owner' || role === 'admin';
