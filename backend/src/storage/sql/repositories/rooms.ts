import { avatarUrlOf, type NotifyLevel, type RoomRole, type User, type UserRef } from '@parley/protocol';
import type { Kysely, Selectable } from 'kysely';
import type {
  MembershipsRepository,
  RoomsRepository,
  RoomWithMembership,
} from '../../../core/ports/database.js';
import type { MembershipRecord, RoomRecord } from '../../../core/ports/records.js';
import { chunks, MAX_IDS_PER_QUERY } from '../chunks.js';
import { type CompiledStatements, statement } from '../compiled-statements.js';
import { advanceDeliveredOf, groupByRoomAndSeq } from '../delivered-cursors.js';
import { powerOfTwoChunks } from '../multi-row-statements.js';
import type { RoomsTable, Tables } from '../schema.js';

/** Run for every event: compiled once (see compiled-statements.ts). */
const takeNextSeq = statement('rooms.takeNextSeq', (db: Kysely<Tables>, roomId: string) =>
  db
    .updateTable('rooms')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', roomId)
    .returning('last_seq'),
);
/** A batch's seqs in one update: the count is an argument, so one compiled statement serves all. */
const takeNextSeqs = statement('rooms.takeNextSeqs', (db: Kysely<Tables>, roomId: string, count: number) =>
  db
    .updateTable('rooms')
    .set((eb) => ({ last_seq: eb('last_seq', '+', count) }))
    .where('id', '=', roomId)
    .returning('last_seq'),
);

const toRoomRecord = (row: Selectable<RoomsTable>): RoomRecord => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  topic: row.topic,
  visibility: row.visibility,
  lastSeq: Number(row.last_seq),
  createdAt: row.created_at,
  dmKey: row.dm_key,
});

export class SqlRooms implements RoomsRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly statements: CompiledStatements,
  ) {}

  async insert(room: RoomRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('rooms')
      .values({
        id: room.id,
        slug: room.slug,
        name: room.name,
        topic: room.topic,
        visibility: room.visibility,
        last_seq: room.lastSeq,
        created_at: room.createdAt,
        dm_key: room.dmKey,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async findById(id: string): Promise<RoomRecord | undefined> {
    const row = await this.db.selectFrom('rooms').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRoomRecord(row);
  }

  async findBySlug(slug: string): Promise<RoomRecord | undefined> {
    const row = await this.db.selectFrom('rooms').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row && toRoomRecord(row);
  }

  async findByDmKey(dmKey: string): Promise<RoomRecord | undefined> {
    const row = await this.db.selectFrom('rooms').selectAll().where('dm_key', '=', dmKey).executeTakeFirst();
    return row && toRoomRecord(row);
  }

  async update(id: string, changes: { name?: string; topic?: string }): Promise<void> {
    const set: { name?: string; topic?: string } = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.topic !== undefined) set.topic = changes.topic;
    if (Object.keys(set).length > 0)
      await this.db.updateTable('rooms').set(set).where('id', '=', id).execute();
  }

  async listAll(): Promise<RoomRecord[]> {
    const rows = await this.db.selectFrom('rooms').selectAll().orderBy('name').execute();
    return rows.map(toRoomRecord);
  }

  async listVisibleTo(userId: string): Promise<RoomWithMembership[]> {
    const rows = await this.db
      .selectFrom('rooms as r')
      .leftJoin('memberships as m', (join) =>
        join.onRef('m.room_id', '=', 'r.id').on('m.user_id', '=', userId),
      )
      .selectAll('r')
      .select(['m.role as role', 'm.ack_seq as ack_seq', 'm.notify_level as notify_level'])
      .where((eb) => eb.or([eb('m.user_id', 'is not', null), eb('r.visibility', '=', 'public')]))
      .orderBy('r.name')
      .execute();
    return rows.map((row) => ({
      ...toRoomRecord(row),
      role: row.role ?? null,
      ackSeq: Number(row.ack_seq ?? 0),
      notifyLevel: row.notify_level ?? null,
    }));
  }

  async takeNextSeq(roomId: string): Promise<number> {
    const { rows } = await this.statements.run<{ last_seq: number }, [string]>(this.db, takeNextSeq, roomId);
    const row = rows[0];
    if (!row) throw new Error(`no room ${roomId} to take a seq in`);
    return Number(row.last_seq);
  }

  async takeNextSeqs(roomId: string, count: number): Promise<number> {
    const { rows } = await this.statements.run<{ last_seq: number }, [string, number]>(
      this.db,
      takeNextSeqs,
      roomId,
      count,
    );
    const row = rows[0];
    if (!row) throw new Error(`no room ${roomId} to take seqs in`);
    return Number(row.last_seq) - count + 1;
  }
}

export class SqlMemberships implements MembershipsRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly statements: CompiledStatements,
  ) {}

  async find(roomId: string, userId: string): Promise<MembershipRecord | undefined> {
    const row = await this.db
      .selectFrom('memberships')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return (
      row && {
        roomId: row.room_id,
        userId: row.user_id,
        role: row.role,
        joinedAt: row.joined_at,
        ackSeq: Number(row.ack_seq),
        notifyLevel: row.notify_level,
      }
    );
  }

  async insert(membership: MembershipRecord): Promise<void> {
    await this.db
      .insertInto('memberships')
      .values({
        room_id: membership.roomId,
        user_id: membership.userId,
        role: membership.role,
        joined_at: membership.joinedAt,
        ack_seq: membership.ackSeq,
        delivered_seq: 0,
      })
      .execute();
  }

  /**
   * One statement per room and seq (and per chunk of members), not one per member: a flush
   * after a message in a room of 10,000 members is ~40 statements, not 10,000.
   */
  async advanceDelivered(cursors: { roomId: string; userId: string; seq: number }[]): Promise<void> {
    for (const { roomId, seq, userIds } of groupByRoomAndSeq(cursors)) {
      for (const chunk of powerOfTwoChunks(userIds)) {
        await this.statements.run(this.db, advanceDeliveredOf(chunk.length), seq, roomId, seq, ...chunk);
      }
    }
  }

  async receiptsAt(
    roomId: string,
    seq: number,
    authorId: string,
  ): Promise<{ recipients: number; delivered: number; seenBy: UserRef[] }> {
    const rows = await this.db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select([
        'u.id',
        'u.username',
        'u.display_name',
        'u.share_read_receipts',
        'm.ack_seq',
        'm.delivered_seq',
      ])
      .where('m.room_id', '=', roomId)
      .where('m.user_id', '!=', authorId)
      .execute();
    const reached = rows.filter((row) => Math.max(Number(row.ack_seq), Number(row.delivered_seq)) >= seq);
    const seenBy = rows
      .filter((row) => Number(row.ack_seq) >= seq && Number(row.share_read_receipts) === 1)
      .map((row) => ({ id: row.id, username: row.username, displayName: row.display_name }));
    return { recipients: rows.length, delivered: reached.length, seenBy };
  }

  async delete(roomId: string, userId: string): Promise<void> {
    await this.db
      .deleteFrom('memberships')
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .execute();
  }

  async setRole(roomId: string, userId: string, role: RoomRole): Promise<void> {
    await this.db
      .updateTable('memberships')
      .set({ role })
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .execute();
  }

  async setNotifyLevel(roomId: string, userId: string, level: NotifyLevel): Promise<void> {
    await this.db
      .updateTable('memberships')
      .set({ notify_level: level })
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .execute();
  }

  async list(roomId: string): Promise<(MembershipRecord & { user: User })[]> {
    const rows = await this.db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select([
        'm.room_id',
        'm.user_id',
        'm.role',
        'm.joined_at',
        'm.ack_seq',
        'u.username',
        'u.display_name',
        'u.role as user_role',
        'u.avatar_version',
      ])
      .where('m.room_id', '=', roomId)
      .orderBy('m.joined_at')
      .orderBy('u.username')
      .execute();
    return rows.map((row) => ({
      roomId: row.room_id,
      userId: row.user_id,
      role: row.role,
      joinedAt: row.joined_at,
      ackSeq: Number(row.ack_seq),
      user: {
        id: row.user_id,
        username: row.username,
        displayName: row.display_name,
        role: row.user_role,
        avatarUrl: avatarUrlOf(row.user_id, row.avatar_version),
      },
    }));
  }

  async roomCursorsOf(userId: string): Promise<{ roomId: string; lastSeq: number }[]> {
    const rows = await this.db
      .selectFrom('memberships as m')
      .innerJoin('rooms as r', 'r.id', 'm.room_id')
      .select(['r.id as roomId', 'r.last_seq as lastSeq'])
      .where('m.user_id', '=', userId)
      .execute();
    return rows.map((row) => ({ roomId: row.roomId, lastSeq: Number(row.lastSeq) }));
  }

  async roomCursorsOfUsers(userIds: string[]): Promise<Map<string, { roomId: string; lastSeq: number }[]>> {
    const byUser = new Map<string, { roomId: string; lastSeq: number }[]>();
    for (const chunk of chunks(userIds, MAX_IDS_PER_QUERY)) {
      const rows = await this.db
        .selectFrom('memberships as m')
        .innerJoin('rooms as r', 'r.id', 'm.room_id')
        .select(['m.user_id as userId', 'r.id as roomId', 'r.last_seq as lastSeq'])
        .where('m.user_id', 'in', chunk)
        .execute();
      for (const row of rows) {
        const rooms = byUser.get(row.userId) ?? [];
        rooms.push({ roomId: row.roomId, lastSeq: Number(row.lastSeq) });
        byUser.set(row.userId, rooms);
      }
    }
    return byUser;
  }

  async advanceAck(roomId: string, userId: string, seq: number): Promise<void> {
    const room = await this.db
      .selectFrom('rooms')
      .select('last_seq')
      .where('id', '=', roomId)
      .executeTakeFirst();
    if (!room) return;
    const capped = Math.min(seq, Number(room.last_seq));
    await this.db
      .updateTable('memberships')
      .set({ ack_seq: capped })
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .where('ack_seq', '<', capped)
      .execute();
  }
}
