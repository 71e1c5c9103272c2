import type { Kysely, Migration } from 'kysely';

/** Events name the message they carry, so deleting a message can redact it from the log too. */
export const eventMessageLink: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('events').addColumn('message_id', 'text').execute();
    await db.schema.createIndex('events_by_message').on('events').column('message_id').execute();
  },
};
