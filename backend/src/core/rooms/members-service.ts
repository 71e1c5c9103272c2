/** Who is in a room and with which role: list, add, remove, promote and demote. */
import type { Member } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { toUser, toUserRef } from '../accounts/principal.js';
import { audit } from '../audit/audit-log.js';
import { nowIso } from '../clock.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { ConnectionRegistry } from '../ports/connection-registry.js';
import type { Database } from '../ports/database.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { isModerator, requireMember } from './access.js';
import { joinRoom, leaveRoom } from './membership.js';
import { appendEvent } from './room-log.js';

export class MembersService {
  constructor(
    private readonly db: Database,
    private readonly work: UnitOfWork,
    /** Who is online, so a client learns the state that later `presence` frames change. */
    private readonly connections: Pick<ConnectionRegistry, 'onlineAmong'>,
  ) {}

  async list(principal: Principal, roomId: string): Promise<Member[]> {
    await requireMember(this.db, principal, roomId);
    const members = await this.db.memberships.list(roomId);
    const online = await this.connections.onlineAmong(members.map((member) => member.userId));
    return members.map((member) => ({
      user: member.user,
      role: member.role,
      joinedAt: member.joinedAt,
      online: online.has(member.userId),
    }));
  }

  /** A room owner or admin adds someone by username. */
  async add(principal: Principal, roomId: string, username: string): Promise<Member> {
    return this.work.run(async (tx) => {
      const { room, membership } = await requireMember(tx, principal, roomId);
      if (room.visibility === 'dm') throw conflict('People cannot be added to a direct message.');
      if (!isModerator(membership.role)) throw forbidden('Only the room owner or an admin can add people.');
      const user = await tx.users.findByUsername(username.toLowerCase());
      if (!user || user.deactivatedAt) throw notFound('No such user.');
      if (await tx.memberships.find(roomId, user.id)) throw conflict('That person is already in the room.');
      const joined = await joinRoom(tx, roomId, user, 'member', principal.user);
      return { user: toUser(user), role: 'member', joinedAt: joined.at };
    });
  }

  /** A member removes themself, or a moderator removes someone below them. */
  async remove(principal: Principal, roomId: string, userId: string, clientAddress?: string): Promise<void> {
    await this.work.run(async (tx) => {
      const { room, membership } = await requireMember(tx, principal, roomId);
      if (room.visibility === 'dm') throw conflict('People cannot be removed from a direct message.');
      const target = await tx.memberships.find(roomId, userId);
      if (!target) throw notFound('That person is not in this room.');
      if (userId !== principal.user.id) {
        if (!isModerator(membership.role))
          throw forbidden('Only the room owner or an admin can remove people.');
        if (target.role === 'owner') throw forbidden('The owner cannot be removed.');
        if (target.role === 'admin' && membership.role !== 'owner')
          throw forbidden('Only the owner can remove an admin.');
      }
      const user = await tx.users.findById(userId);
      if (!user) throw notFound('No such user.');
      await leaveRoom(tx, room, user, principal.user);
      if (userId !== principal.user.id) {
        await audit(tx, nowIso(), {
          type: 'member.removed',
          actorId: principal.user.id,
          targetId: userId,
          clientAddress,
          details: { roomId, roomName: room.name, role: target.role },
        });
      }
    });
  }

  /** The owner makes a member a room admin, or an admin a member again. */
  async setRole(
    principal: Principal,
    roomId: string,
    userId: string,
    role: 'admin' | 'member',
    clientAddress?: string,
  ): Promise<Member> {
    return this.work.run(async (tx) => {
      const { room, membership } = await requireMember(tx, principal, roomId);
      if (room.visibility === 'dm') throw conflict('A direct message has no roles.');
      if (membership.role !== 'owner') throw forbidden('Only the room owner can change roles.');
      const target = (await tx.memberships.list(roomId)).find((candidate) => candidate.userId === userId);
      if (!target) throw notFound('That person is not in this room.');
      if (target.role === 'owner') throw conflict('The owner keeps the owner role.');
      await tx.memberships.setRole(roomId, userId, role);
      await appendEvent(tx, roomId, principal.user, () => ({
        type: 'member.role_changed' as const,
        data: { user: toUserRef(target.user), role },
      }));
      await audit(tx, nowIso(), {
        type: 'room.role_changed',
        actorId: principal.user.id,
        targetId: userId,
        clientAddress,
        details: { roomId, roomName: room.name, from: target.role, role },
      });
      return { user: target.user, role, joinedAt: target.joinedAt };
    });
  }
}
