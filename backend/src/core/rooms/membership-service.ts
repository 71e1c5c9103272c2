/**
 * Rooms and who is in them: create, join, leave, add and remove members, rename, and direct
 * messages. Every change is an event in the room's log, and membership changes reach live
 * sockets through fan-out (a removal stops the flow at once, an addition starts it).
 */
import type {
  CreateDmBody,
  CreateRoomBody,
  Member,
  Room,
  RoomEvent,
  RoomRole,
  UpdateRoomBody,
} from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { toUserRef } from '../accounts/principal.js';
import { nowIso } from '../clock.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Database, Repositories } from '../ports/database.js';
import type { FanOut } from '../ports/fan-out.js';
import type { RoomRecord, UserRecord } from '../ports/records.js';
import { findVisibleRoom, isModerator, requireMember } from './access.js';
import { joinRoom } from './membership.js';
import { appendEvent } from './room-log.js';
import { toRoom } from './room-view.js';
import { slugCandidate, slugFromName } from './slug.js';

const MAX_SLUG_TRIES = 50;

type Change = {
  events: RoomEvent[];
  joined?: { userId: string; roomId: string }[];
  left?: { userId: string; roomId: string }[];
};

export class MembershipService {
  constructor(
    private readonly db: Database,
    private readonly fanOut: FanOut,
  ) {}

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
      const event = await this.db.transaction(async (tx) => {
        if (!(await tx.rooms.insert(room))) return undefined;
        return joinRoom(tx, room.id, principal.user, 'owner', principal.user);
      });
      if (event) {
        this.announce({ events: [event], joined: [{ userId: principal.user.id, roomId: room.id }] });
        return toRoom({ ...room, lastSeq: event.seq }, 'owner');
      }
      if (body.slug !== undefined) throw conflict('That room address is taken.');
    }
    throw conflict('Could not find a free address for this room; give it a slug.');
  }

  async join(principal: Principal, roomId: string): Promise<Room> {
    const change = await this.db.transaction(async (tx) => {
      const { room, membership } = await findVisibleRoom(tx, principal, roomId);
      if (membership) return { room, change: undefined };
      if (room.visibility !== 'public') throw notFound('No such room.');
      const event = await joinRoom(tx, room.id, principal.user, 'member', principal.user);
      return {
        room: { ...room, lastSeq: event.seq },
        change: { events: [event], joined: [{ userId: principal.user.id, roomId }] },
      };
    });
    if (change.change) this.announce(change.change);
    const membership = await this.db.memberships.find(roomId, principal.user.id);
    return toRoom(change.room, membership?.role ?? 'member', membership?.ackSeq ?? 0);
  }

  async leave(principal: Principal, roomId: string): Promise<void> {
    const change = await this.db.transaction(async (tx) => {
      const { room } = await requireMember(tx, principal, roomId);
      if (room.visibility === 'dm') throw conflict('A direct message cannot be left.');
      return removeFromRoom(tx, room, principal.user, principal.user);
    });
    this.announce(change);
  }

  async members(principal: Principal, roomId: string): Promise<Member[]> {
    await requireMember(this.db, principal, roomId);
    const members = await this.db.memberships.list(roomId);
    return members.map((member) => ({ user: member.user, role: member.role, joinedAt: member.joinedAt }));
  }

  async addMember(principal: Principal, roomId: string, username: string): Promise<Member> {
    const { change, member } = await this.db.transaction(async (tx) => {
      const { room, membership } = await requireMember(tx, principal, roomId);
      if (room.visibility === 'dm') throw conflict('People cannot be added to a direct message.');
      if (!isModerator(membership.role)) throw forbidden('Only the room owner or an admin can add people.');
      const user = await tx.users.findByUsername(username.toLowerCase());
      if (!user || user.deactivatedAt) throw notFound('No such user.');
      if (await tx.memberships.find(roomId, user.id)) throw conflict('That person is already in the room.');
      const event = await joinRoom(tx, roomId, user, 'member', principal.user);
      const member: Member = { user: toUserRef(user), role: 'member', joinedAt: event.at };
      return { change: { events: [event], joined: [{ userId: user.id, roomId }] }, member };
    });
    this.announce(change);
    return member;
  }

  async removeMember(principal: Principal, roomId: string, userId: string): Promise<void> {
    const change = await this.db.transaction(async (tx) => {
      const { room, membership } = await requireMember(tx, principal, roomId);
      if (room.visibility === 'dm') throw conflict('People cannot be removed from a direct message.');
      const target = await tx.memberships.find(roomId, userId);
      if (!target) throw notFound('That person is not in this room.');
      const self = userId === principal.user.id;
      if (!self) {
        if (!isModerator(membership.role))
          throw forbidden('Only the room owner or an admin can remove people.');
        if (target.role === 'owner') throw forbidden('The owner cannot be removed.');
        if (target.role === 'admin' && membership.role !== 'owner')
          throw forbidden('Only the owner can remove an admin.');
      }
      const user = await tx.users.findById(userId);
      if (!user) throw notFound('No such user.');
      return removeFromRoom(tx, room, user, principal.user);
    });
    this.announce(change);
  }

  /** The owner makes a member a room admin, or an admin a member again. */
  async setRole(
    principal: Principal,
    roomId: string,
    userId: string,
    role: 'admin' | 'member',
  ): Promise<Member> {
    const { event, member } = await this.db.transaction(async (tx) => {
      const { room, membership } = await requireMember(tx, principal, roomId);
      if (room.visibility === 'dm') throw conflict('A direct message has no roles.');
      if (membership.role !== 'owner') throw forbidden('Only the room owner can change roles.');
      const target = (await tx.memberships.list(roomId)).find((candidate) => candidate.userId === userId);
      if (!target) throw notFound('That person is not in this room.');
      if (target.role === 'owner') throw conflict('The owner keeps the owner role.');
      await tx.memberships.setRole(roomId, userId, role);
      const event = await appendEvent(tx, roomId, principal.user, () => ({
        type: 'member.role_changed' as const,
        data: { user: target.user, role },
      }));
      return { event, member: { user: target.user, role, joinedAt: target.joinedAt } };
    });
    this.announce({ events: [event] });
    return member;
  }

  async update(principal: Principal, roomId: string, body: UpdateRoomBody): Promise<Room> {
    const { room, event, role } = await this.db.transaction(async (tx) => {
      const { room, membership } = await requireMember(tx, principal, roomId);
      if (room.visibility === 'dm') throw conflict('A direct message has no name or topic to change.');
      if (!isModerator(membership.role))
        throw forbidden('Only the room owner or an admin can change the room.');
      const changes: { name?: string; topic?: string } = {};
      if (body.name !== undefined) changes.name = body.name;
      if (body.topic !== undefined) changes.topic = body.topic;
      await tx.rooms.update(roomId, changes);
      const name = body.name ?? room.name;
      const topic = body.topic ?? room.topic;
      const event = await appendEvent(tx, roomId, principal.user, () => ({
        type: 'room.updated' as const,
        data: { name, topic },
      }));
      return { room: { ...room, name, topic, lastSeq: event.seq }, event, role: membership.role };
    });
    this.announce({ events: [event] });
    return toRoom(room, role);
  }

  /** The one DM room of a set of people (created on first ask); `created` tells which. */
  async openDm(principal: Principal, body: CreateDmBody): Promise<{ room: Room; created: boolean }> {
    const usernames = 'username' in body ? [body.username] : body.usernames;
    const others: UserRecord[] = [];
    for (const [index, name] of usernames.entries()) {
      const user = await this.db.users.findByUsername(name.toLowerCase());
      if (!user || user.deactivatedAt) throw notFound(`No user named ${usernames[index]}.`);
      if (user.id !== principal.user.id && !others.some((other) => other.id === user.id)) others.push(user);
    }
    const people = [principal.user, ...others];
    const dmKey = people
      .map((person) => person.id)
      .sort()
      .join(',');
    const existing = await this.db.rooms.findByDmKey(dmKey);
    if (existing)
      return { room: toRoom(existing, await this.roleIn(existing.id, principal.user.id)), created: false };

    const room: RoomRecord = {
      id: newId(),
      slug: `dm-${newId()}`,
      name: people.map((person) => person.displayName).join(', '),
      topic: '',
      visibility: 'dm',
      lastSeq: 0,
      createdAt: nowIso(),
      dmKey,
    };
    const events = await this.db.transaction(async (tx) => {
      if (!(await tx.rooms.insert(room))) return undefined;
      const joined: RoomEvent[] = [];
      for (const person of people) joined.push(await joinRoom(tx, room.id, person, 'member', principal.user));
      return joined;
    });
    if (!events) {
      // Someone opened the same DM at the same moment: theirs is the one.
      const raced = await this.db.rooms.findByDmKey(dmKey);
      if (!raced) throw conflict('Could not open that conversation; try again.');
      return { room: toRoom(raced, await this.roleIn(raced.id, principal.user.id)), created: false };
    }
    this.announce({ events, joined: people.map((person) => ({ userId: person.id, roomId: room.id })) });
    return { room: toRoom({ ...room, lastSeq: events.length }, 'member'), created: true };
  }

  private async roleIn(roomId: string, userId: string): Promise<RoomRole | null> {
    return (await this.db.memberships.find(roomId, userId))?.role ?? null;
  }

  /** Events first (so a leaver still sees its own member.left), then the membership changes. */
  private announce(change: Change): void {
    for (const event of change.events) this.fanOut.publish({ kind: 'room-event', event });
    const lastSeq = change.events.at(-1)?.seq ?? 0;
    for (const joined of change.joined ?? []) {
      const seq = change.events.find(
        (event) => event.type === 'member.joined' && event.data.user.id === joined.userId,
      )?.seq;
      this.fanOut.publish({ kind: 'membership-changed', ...joined, member: true, lastSeq: seq ?? lastSeq });
    }
    for (const left of change.left ?? []) {
      this.fanOut.publish({ kind: 'membership-changed', ...left, member: false, lastSeq });
    }
  }
}

/** Removes a member with `member.left`; an owner who leaves hands the room to the next in line. */
async function removeFromRoom(
  tx: Repositories,
  room: RoomRecord,
  user: { id: string; username: string; displayName: string },
  actor: { id: string; username: string; displayName: string },
): Promise<Change> {
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
          data: { user: heir.user, role: 'owner' as const },
        })),
      );
    }
  }
  return { events, left: [{ userId: user.id, roomId: room.id }] };
}
