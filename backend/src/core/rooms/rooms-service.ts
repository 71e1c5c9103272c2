import type { Message, Room, RoomEvent } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import type { Database } from '../ports/database.js';
import { findVisibleRoom } from './access.js';
import type { MemberCheck } from './member-check.js';
import { toRoom } from './room-view.js';

export class RoomsService {
  constructor(
    private readonly db: Database,
    private readonly members: MemberCheck,
  ) {}

  async list(principal: Principal): Promise<Room[]> {
    const rooms = await this.db.rooms.listVisibleTo(principal.user.id);
    return rooms.map((room) => toRoom(room, room.role, room.ackSeq));
  }

  async get(principal: Principal, roomId: string): Promise<Room> {
    const { room, membership } = await findVisibleRoom(this.db, principal, roomId);
    return toRoom(room, membership?.role ?? null, membership?.ackSeq ?? 0);
  }

  async messages(
    principal: Principal,
    roomId: string,
    query: { before?: number; after?: number; limit: number },
  ): Promise<{ messages: Message[]; hasMore: boolean }> {
    await this.members.require(principal, roomId);
    return this.db.messages.page(roomId, { before: query.before, after: query.after }, query.limit);
  }

  async events(
    principal: Principal,
    roomId: string,
    query: { after: number; limit: number },
  ): Promise<{ events: RoomEvent[]; hasMore: boolean }> {
    await this.members.require(principal, roomId);
    const events = await this.db.events.listAfter(roomId, query.after, query.limit + 1);
    return { events: events.slice(0, query.limit), hasMore: events.length > query.limit };
  }

  /** Records the caller's cumulative "seen up to seq"; silently ignores rooms it is not in. */
  async acknowledge(principal: Principal, roomId: string, seq: number): Promise<void> {
    await this.db.memberships.advanceAck(roomId, principal.user.id, seq);
  }
}
