import type { RoomEvent } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { EventsRepository } from '../../../core/ports/database.js';
import { type CompiledStatements, statement } from '../compiled-statements.js';
import { argumentRows, multiRowStatement, runInChunks } from '../multi-row-statements.js';
import type { Tables } from '../schema.js';

/** An event's row from insertEvent's arguments (after the database). */
const eventRow = (
  roomId: string,
  seq: number,
  type: string,
  actorId: string,
  body: string,
  at: string,
  messageId: string | null,
) => ({ room_id: roomId, seq, type, actor_id: actorId, body, at, message_id: messageId });
type EventArguments = Parameters<typeof eventRow>;

/** Run for every event: compiled once (see compiled-statements.ts). */
const insertEvent = statement('events.insert', (db: Kysely<Tables>, ...args: EventArguments) =>
  db.insertInto('events').values(eventRow(...args)),
);

/** The same insert for a chunk of events (insertEvent's arguments event after event). */
const insertEvents = multiRowStatement(
  'events.insertMany',
  (rows) =>
    (db, ...args) =>
      db.insertInto('events').values(argumentRows<EventArguments>(args, rows).map((row) => eventRow(...row))),
);

export class SqlEvents implements EventsRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly statements: CompiledStatements,
  ) {}

  async insert(event: RoomEvent): Promise<void> {
    await this.statements.run(this.db, insertEvent, ...insertArguments(event));
  }

  async insertMany(events: RoomEvent[]): Promise<void> {
    await runInChunks(this.statements, this.db, insertEvents, events, insertArguments);
  }

  async redactMessage(messageId: string): Promise<void> {
    const rows = await this.db
      .selectFrom('events')
      .select(['room_id', 'seq', 'body'])
      .where('message_id', '=', messageId)
      .where('type', 'in', ['message.created', 'message.edited'])
      .execute();
    for (const row of rows) {
      const event = JSON.parse(row.body) as RoomEvent;
      if (event.type !== 'message.created' && event.type !== 'message.edited') continue;
      // Reactions go with the content: a deleted message has none (an edit's event carried them).
      const { attachment: _gone, reactions: _dropped, ...message } = event.data.message;
      const redacted = { ...event, data: { message: { ...message, text: '', deleted: true } } };
      await this.db
        .updateTable('events')
        .set({ body: JSON.stringify(redacted) })
        .where('room_id', '=', row.room_id)
        .where('seq', '=', row.seq)
        .execute();
    }
  }

  async listAfterAsStored(
    roomId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ seq: number; json: string }[]> {
    const rows = await this.db
      .selectFrom('events')
      .select(['seq', 'body'])
      .where('room_id', '=', roomId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ seq: Number(row.seq), json: row.body }));
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

function messageIdOf(event: RoomEvent): string | null {
  switch (event.type) {
    case 'message.created':
    case 'message.edited':
      return event.data.message.id;
    case 'message.deleted':
      return event.data.messageId;
    default:
      return null;
  }
}

/** insertEvent's arguments for an event, after the database. */
function insertArguments(event: RoomEvent) {
  return [
    event.roomId,
    event.seq,
    event.type,
    event.actor.id,
    JSON.stringify(event),
    event.at,
    messageIdOf(event),
  ] as const;
}
