import type { Kysely, Migration } from 'kysely';

/**
 * Each member's notification level in a room (`all`, `mentions`, `mute`). Null means never
 * chosen: the application's default applies (all in a DM, mentions in a channel), so existing
 * memberships need no backfill and a later change of the default reaches them too.
 */
export const notifyLevel: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('memberships').addColumn('notify_level', 'text').execute();
  },
};
