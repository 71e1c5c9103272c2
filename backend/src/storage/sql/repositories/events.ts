import type { RoomEvent } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { EventsRepository } from '../../../core/ports/database.js';
import type { Tables } from '../schema.js';

export class SqlEvents implements EventsRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async insert(event: RoomEvent): Promise<void> {
    await this.db
      .insertInto('events')
      .values({
        room_id: event.roomId,
        seq: event.seq,
        type: event.type,
        actor_id: event.actor.id,
        body: JSON.stringify(event),
        at: event.at,
      })
      .execute();
  }

  async listAfter(roomId: string, afterSeq: number, limit: number): Promise<RoomEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .select('body')
      .where('room_id', '=', roomId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) => JSON.parse(row.body) as RoomEvent);
  }
}
