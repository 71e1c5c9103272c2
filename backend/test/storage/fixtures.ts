/** Records and writes the storage tests share; built here rather than through core services. */
import type { RoomEvent, UserRef } from '@parley/protocol';
import { newId } from '../../src/core/ids.js';
import type { Database, Repositories } from '../../src/core/ports/database.js';
import type { JobRecord, UserRecord } from '../../src/core/ports/records.js';

export const iso = (offsetMs = 0): string => new Date(Date.now() + offsetMs).toISOString();

export function userRecord(username = `u${newId().slice(-12)}`): UserRecord {
  return {
    id: newId(),
    username,
    displayName: username,
    role: 'member',
    passwordHash: 'x',
    deactivatedAt: null,
    createdAt: iso(),
  };
}

export const refOf = (user: UserRecord): UserRef => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
});

export function jobRecord(
  userId: string,
  roomId: string,
  options: { key?: string | null; runAt?: string } = {},
): JobRecord {
  return {
    id: newId(),
    userId,
    roomId,
    type: 'message',
    status: 'queued',
    payload: { type: 'message', text: 'hi' },
    idempotencyKey: options.key ?? null,
    requestHash: 'h',
    attempts: 0,
    maxAttempts: 5,
    runAt: options.runAt ?? iso(),
    leaseUntil: null,
    errorCode: null,
    errorMessage: null,
    resultMessageId: null,
    resultSeq: null,
    createdAt: iso(),
    updatedAt: iso(),
  };
}

/** A public room with `member` in it; returns its id. */
export async function seedRoom(db: Database, member: UserRecord): Promise<string> {
  const roomId = newId();
  await db.rooms.insert({
    id: roomId,
    slug: `r-${roomId.slice(-12)}`,
    name: 'room',
    topic: '',
    visibility: 'public',
    lastSeq: 0,
    createdAt: iso(),
    dmKey: null,
  });
  await db.memberships.insert({ roomId, userId: member.id, role: 'member', joinedAt: iso(), ackSeq: 0 });
  return roomId;
}

/** New users, each a plain member of the room, in one transaction; returns them. */
export async function seedMembers(db: Database, roomId: string, count: number): Promise<UserRecord[]> {
  const members = Array.from({ length: count }, () => userRecord());
  await db.transaction(async (tx) => {
    for (const member of members) {
      await tx.users.insert(member);
      await tx.memberships.insert({ roomId, userId: member.id, role: 'member', joinedAt: iso(), ackSeq: 0 });
    }
  });
  return members;
}

/**
 * Appends an event to a room's log in the caller's transaction, the way core/rooms/room-log
 * does: the room's next seq, then the event under it. Returns the event.
 */
export async function appendTestEvent(
  tx: Repositories,
  roomId: string,
  actor: UserRef,
  content:
    | Pick<RoomEvent, 'type' | 'data'>
    | ((seq: number, at: string) => Pick<RoomEvent, 'type' | 'data'>) = {
    type: 'message.deleted',
    data: { messageId: 'm' },
  },
): Promise<RoomEvent> {
  const seq = await tx.rooms.takeNextSeq(roomId);
  const at = iso();
  const { type, data } = typeof content === 'function' ? content(seq, at) : content;
  const event = { roomId, seq, at, actor, type, data } as RoomEvent;
  await tx.events.insert(event);
  return event;
}
