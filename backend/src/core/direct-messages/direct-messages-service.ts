/** Direct messages: one room per set of people (a pair or a small group), opened on first ask. */
import type { CreateDmBody, Room, RoomRole } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { nowIso } from '../clock.js';
import { conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Database } from '../ports/database.js';
import type { RoomRecord, UserRecord } from '../ports/records.js';
import { joinRoom } from '../rooms/membership.js';
import { toRoom } from '../rooms/room-view.js';
import type { UnitOfWork } from '../unit-of-work.js';

export class DirectMessagesService {
  constructor(
    private readonly db: Database,
    private readonly work: UnitOfWork,
  ) {}

  /** The one DM room of the caller and these people (created on first ask); `created` tells which. */
  async open(principal: Principal, body: CreateDmBody): Promise<{ room: Room; created: boolean }> {
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
    if (existing) return { room: await this.viewOf(existing, principal), created: false };

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
    const created = await this.work.run(async (tx) => {
      if (!(await tx.rooms.insert(room))) return false;
      for (const person of people) await joinRoom(tx, room.id, person, 'member', principal.user);
      return true;
    });
    if (!created) {
      // Someone opened the same DM at the same moment: theirs is the one.
      const raced = await this.db.rooms.findByDmKey(dmKey);
      if (!raced) throw conflict('Could not open that conversation; try again.');
      return { room: await this.viewOf(raced, principal), created: false };
    }
    return { room: toRoom({ ...room, lastSeq: people.length }, 'member'), created: true };
  }

  private async viewOf(room: RoomRecord, principal: Principal): Promise<Room> {
    const membership = await this.db.memberships.find(room.id, principal.user.id);
    const role: RoomRole | null = membership?.role ?? null;
    return toRoom(room, role, membership?.ackSeq ?? 0, membership?.notifyLevel);
  }
}
