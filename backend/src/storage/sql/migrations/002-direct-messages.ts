import type { Kysely, Migration } from 'kysely';

/** DM rooms carry the sorted ids of their members, unique, so each pair has exactly one DM. */
export const directMessages: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('rooms').addColumn('dm_key', 'text').execute();
    await db.schema.createIndex('rooms_dm_key').on('rooms').column('dm_key').unique().execute();
  },
};
