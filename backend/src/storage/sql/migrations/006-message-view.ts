import type { Kysely, Migration } from 'kysely';
import { messageView, toMessage } from '../message-view.js';
import type { Tables } from '../schema.js';

const BACKFILL_BATCH = 1_000;

/**
 * Each message stores its view (JSON of the message as clients see it), so a page of history is
 * one indexed range of one column instead of a join materialised row by row. Existing messages
 * get theirs here, a batch at a time.
 */
export const messageViews: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('messages')
      .addColumn('view', 'text', (column) => column.notNull().defaultTo(''))
      .execute();
    const typed = db as unknown as Kysely<Tables>;
    let after = '';
    for (;;) {
      const rows = await messageView(typed)
        .where('m.id', '>', after)
        .orderBy('m.id')
        .limit(BACKFILL_BATCH)
        .execute();
      for (const row of rows) {
        await typed
          .updateTable('messages')
          .set({ view: JSON.stringify(toMessage(row)) })
          .where('id', '=', row.id)
          .execute();
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < BACKFILL_BATCH) break;
      after = last.id;
    }
  },
};
