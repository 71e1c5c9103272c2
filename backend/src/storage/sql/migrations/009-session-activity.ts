import type { Kysely, Migration } from 'kysely';

/**
 * When each session was last used (for the idle expiry, written at most once an hour) and the
 * `User-Agent` it signed in with (for the list of one's sessions). Existing sessions keep
 * nulls: they are judged by their absolute expiry until their next use records a time, so the
 * upgrade signs nobody out.
 */
export const sessionActivity: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();
    await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
  },
};
