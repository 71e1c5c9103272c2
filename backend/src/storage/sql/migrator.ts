import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { initial } from './migrations/001-initial.js';
import { directMessages } from './migrations/002-direct-messages.js';
import { eventMessageLink } from './migrations/003-event-message-link.js';
import { receipts } from './migrations/004-receipts.js';
import { jobBlobKey } from './migrations/005-job-blob-key.js';

/** Versioned migrations, applied in name order; the applied ones are recorded in the database. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-direct-messages': directMessages,
  '003-event-message-link': eventMessageLink,
  '004-receipts': receipts,
  '005-job-blob-key': jobBlobKey,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
