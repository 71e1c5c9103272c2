/**
 * Rooms as a directory and a log: create, rename, list, look up, join, leave, and page a room's
 * log. Who else is in a room is members-service.ts; messages are messages/.
 */
import type { CreateRoomBody, Room, RoomEvent, UpdateRoomBody } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { nowIso } from '../clock.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Database } from '../ports/database.js';
import type { RoomRecord } from '../ports/records.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { findVisibleRoom, isModerator, requireMember } from './access.js';
import type { MemberCheck } from './member-check.js';
import { joinRoom, leaveRoom } from './membership.js';
import { appendEvent } from './room-log.js';
import { requireFreeRoomName } from './room-name.js';
import { toRoom } from './room-view.js';
import { slugCandidate, slugFromName } from './slug.js';

/** base, base-2, base-3, then random suffixes: a tenth try is already most unlikely. */
const MAX_SLUG_TRIES = 10;

export class RoomsService {
  constructor(
    private readonly db: Database,
    private readonly work: UnitOfWork,
    private readonly members: MemberCheck,
  ) {}

  async list(principal: Principal): Promise<Room[]> {
    const rooms = await this.db.rooms.listVisibleTo(principal.user.id);
    return rooms.map((room) => toRoom(room, room.role, room.ackSeq, room.notifyLevel));
  }

  async get(principal: Principal, roomId: string): Promise<Room> {
    const { room, membership } = await findVisibleRoom(this.db, principal, roomId);
    return toRoom(room, membership?.role ?? null, membership?.ackSeq ?? 0, membership?.notifyLevel);
  }

  /** A page of the room's log after a seq (members only). */
  async events(
    principal: Principal,
    roomId: string,
    query: { after: number; limit: number },
  ): Promise<{ events: RoomEvent[]; hasMore: boolean }> {
    await this.members.require(principal, roomId);
    const events = await this.db.events.listAfter(roomId, query.after, query.limit + 1);
    return { events: events.slice(0, query.limit), hasMore: events.length > query.limit };
  }

  /** Creates a room owned by the caller; a slug derived from the name gets -2, -3… when taken. */
  async create(principal: Principal, body: CreateRoomBody): Promise<Room> {
    const base = body.slug ?? slugFromName(body.name);
    for (let n = 1; n <= MAX_SLUG_TRIES; n++) {
      const room: RoomRecord = {
        id: newId(),
        slug: slugCandidate(base, n),
        name: body.name,
        topic: body.topic ?? '',
        visibility: body.visibility,
        lastSeq: 0,
        createdAt: nowIso(),
        dmKey: null,
      };
      const joined = await this.work.run(async (tx) => {
        await requireFreeRoomName(tx, principal.user.id, body.name);
        if (!(await tx.rooms.insert(room))) return undefined;
        return joinRoom(tx, room.id, principal.user, 'owner', principal.user);
      });
      if (joined) return toRoom({ ...room, lastSeq: joined.seq }, 'owner');
      if (body.slug !== undefined) throw conflict('That room address is taken.');
    }
    throw conflict('Could not find a free address for this room; give it a slug.');
  }

  /** Renames a room or sets its topic (owner or room admin). */
  async update(principal: Principal, roomId: string, body: UpdateRoomBody): Promise<Room> {
    const { room, role } = await this.work.run(async (tx) => {
      const { room, membership } = await requireMember(tx, principal, roomId);
      if (room.visibility === 'dm') throw conflict('A direct message has no name or topic to change.');
      if (!isModerator(membership.role))
        throw forbidden('Only the room owner or an admin can change the room.');
      const changes: { name?: string; topic?: string } = {};
      if (body.name !== undefined) {
        await requireFreeRoomName(tx, principal.user.id, body.name, roomId);
        changes.name = body.name;
      }
      if (body.topic !== undefined) changes.topic = body.topic;
      await tx.rooms.update(roomId, changes);
      const name = body.name ?? room.name;
      const topic = body.topic ?? room.topic;
      const event = await appendEvent(tx, roomId, principal.user, () => ({
        type: 'room.updated' as const,
        data: { name, topic },
      }));
      return { room: { ...room, name, topic, lastSeq: event.seq }, role: membership.role };
    });
    return toRoom(room, role);
  }

  /** Joins a public room; joining a room one is already in changes nothing. */
  async join(principal: Principal, roomId: string): Promise<Room> {
    const room = await this.work.run(async (tx) => {
      const { room, membership } = await findVisibleRoom(tx, principal, roomId);
      if (membership) return room;
      if (room.visibility !== 'public') throw notFound('No such room.');
      const joined = await joinRoom(tx, room.id, principal.user, 'member', principal.user);
      return { ...room, lastSeq: joined.seq };
    });
    const membership = await this.db.memberships.find(roomId, principal.user.id);
    return toRoom(room, membership?.role ?? 'member', membership?.ackSeq ?? 0, membership?.notifyLevel);
  }

  async leave(principal: Principal, roomId: string): Promise<void> {
    await this.work.run(async (tx) => {
      const { room } = await requireMember(tx, principal, roomId);
      if (room.visibility === 'dm') throw conflict('A direct message cannot be left.');
      await leaveRoom(tx, room, principal.user, principal.user);
    });
  }
}
