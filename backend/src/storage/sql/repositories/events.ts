import type { RoomEvent } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { EventsRepository } from '../../../core/ports/database.js';
import { type CompiledStatements, statement } from '../compiled-statements.js';
import { multiRowStatement, powerOfTwoChunks } from '../multi-row-statements.js';
import type { Tables } from '../schema.js';

/** Run for every event: compiled once (see compiled-statements.ts). */
const insertEvent = statement(
  'events.insert',
  (
    db: Kysely<Tables>,
    roomId: string,
    seq: number,
    type: string,
    actorId: string,
    body: string,
    at: string,
    messageId: string | null,
  ) =>
    db.insertInto('events').values({
      room_id: roomId,
      seq,
      type,
      actor_id: actorId,
      body,
      at,
      message_id: messageId,
    }),
);

/** The same insert for a chunk of events (7 arguments per event, in insertEvent's order). */
const insertEvents = multiRowStatement(
  'events.insertMany',
  (rows) =>
    (db, ...args) =>
      db.insertInto('events').values(
        Array.from({ length: rows }, (_, row) => {
          const [roomId, seq, type, actorId, body, at, messageId] = args.slice(row * 7, row * 7 + 7);
          return {
            room_id: roomId as string,
            seq: seq as number,
            type: type as string,
            actor_id: actorId as string,
            body: body as string,
            at: at as string,
            message_id: messageId as string | null,
          };
        }),
      ),
);

export class SqlEvents implements EventsRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly statements: CompiledStatements,
  ) {}

  async insert(event: RoomEvent): Promise<void> {
    await this.statements.run(
      this.db,
      insertEvent,
      event.roomId,
      event.seq,
      event.type,
      event.actor.id,
      JSON.stringify(event),
      event.at,
      messageIdOf(event),
    );
  }

  async insertMany(events: RoomEvent[]): Promise<void> {
    for (const chunk of powerOfTwoChunks(events)) {
      const args = chunk.flatMap((event) => [
        event.roomId,
        event.seq,
        event.type,
        event.actor.id,
        JSON.stringify(event),
        event.at,
        messageIdOf(event),
      ]);
      await this.statements.run(this.db, insertEvents(chunk.length), ...args);
    }
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
