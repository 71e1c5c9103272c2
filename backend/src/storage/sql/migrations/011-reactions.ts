import type { Kysely, Migration } from 'kysely';

/**
 * Emoji reactions: one row per (message, user, emoji). The unique key is what makes adding a
 * reaction idempotent under concurrency (two instances adding the same reaction at once insert
 * one row, and so append one event). Its column order, message first, also serves reading a
 * history page's reactions (`message_id IN (…)`), grouped by emoji; `id` is a UUIDv7, so
 * ordering by (`at`, `id`) gives first-reacted order. `room_id` is kept so a room's reactions
 * can be found without a join.
 */
export const reactions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('reactions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
      .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('emoji', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addUniqueConstraint('reactions_once', ['message_id', 'emoji', 'user_id'])
      .execute();
  },
};
