import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { initial } from './migrations/001-initial.js';
import { directMessages } from './migrations/002-direct-messages.js';
import { eventMessageLink } from './migrations/003-event-message-link.js';
import { receipts } from './migrations/004-receipts.js';
import { jobBlobKey } from './migrations/005-job-blob-key.js';
import { messageViews } from './migrations/006-message-view.js';
import { firstAccount } from './migrations/007-first-account.js';
import { dutyLeases } from './migrations/008-duty-leases.js';
import { sessionActivity } from './migrations/009-session-activity.js';
import { auditLog } from './migrations/010-audit-log.js';
import { reactions } from './migrations/011-reactions.js';
import { threads } from './migrations/012-threads.js';
import { messageSearch } from './migrations/013-message-search.js';
import { notifyLevel } from './migrations/014-notify-level.js';
import { profiles } from './migrations/015-profiles.js';
import { mentionsAndPush } from './migrations/016-mentions-and-push.js';

/** Versioned migrations, applied in name order; the applied ones are recorded in the database. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-direct-messages': directMessages,
  '003-event-message-link': eventMessageLink,
  '004-receipts': receipts,
  '005-job-blob-key': jobBlobKey,
  '006-message-view': messageViews,
  '007-first-account': firstAccount,
  '008-duty-leases': dutyLeases,
  '009-session-activity': sessionActivity,
  '010-audit-log': auditLog,
  '011-reactions': reactions,
  '012-threads': threads,
  '013-message-search': messageSearch,
  '014-notify-level': notifyLevel,
  '015-profiles': profiles,
  '016-mentions-and-push': mentionsAndPush,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Applies every migration not applied yet (or only up to `upTo`, for tests of a migration). */
export async function migrateToLatest(db: Kysely<unknown>, upTo?: string): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
