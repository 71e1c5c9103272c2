import type { Kysely, Migration } from 'kysely';

/**
 * Profiles: a user's avatar version. Null means no avatar. The version names the stored images
 * (`avatars/<userId>/<version>-256.webp` and `-64.webp`) and is part of the avatar's URL, so a
 * new picture gets a new URL and browsers may cache each one for good. Existing users have none,
 * so there is nothing to backfill.
 */
export const profiles: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').addColumn('avatar_version', 'text').execute();
  },
};
