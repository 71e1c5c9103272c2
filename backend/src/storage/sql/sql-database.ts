/** The storage port over Kysely: one implementation for every SQL dialect we run on. */
import { type Kysely, sql } from 'kysely';
import type { Database, JobInsertResult, Repositories } from '../../core/ports/database.js';
import type { JobRecord } from '../../core/ports/records.js';
import { CompiledStatements } from './compiled-statements.js';
import type { EngineFeatures } from './engine-features.js';
import { GroupCommit } from './group-commit.js';
import { SqlAudit } from './repositories/audit.js';
import { SqlDuties } from './repositories/duties.js';
import { SqlEvents } from './repositories/events.js';
import { SqlFiles } from './repositories/files.js';
import { SqlJobs } from './repositories/jobs.js';
import { SqlMentions } from './repositories/mentions.js';
import { SqlMessages } from './repositories/messages.js';
import { SqlPush } from './repositories/push.js';
import { SqlReactions } from './repositories/reactions.js';
import { SqlMemberships, SqlRooms } from './repositories/rooms.js';
import { SqlSearch } from './repositories/search.js';
import { SqlSessions, SqlTickets } from './repositories/sessions.js';
import { SqlUsers } from './repositories/users.js';
import type { Tables } from './schema.js';

function repositoriesOf(
  db: Kysely<Tables>,
  statements: CompiledStatements,
  features: EngineFeatures,
  jobInserts?: GroupCommit<JobRecord, JobInsertResult>,
): Repositories {
  return {
    users: new SqlUsers(db),
    sessions: new SqlSessions(db),
    tickets: new SqlTickets(db),
    rooms: new SqlRooms(db, statements),
    memberships: new SqlMemberships(db, statements),
    events: new SqlEvents(db, statements),
    messages: new SqlMessages(db, statements),
    reactions: new SqlReactions(db, features),
    files: new SqlFiles(db),
    jobs: new SqlJobs(db, statements, features, jobInserts),
    duties: new SqlDuties(db),
    audit: new SqlAudit(db),
    search: new SqlSearch(db, features),
    mentions: new SqlMentions(db),
    push: new SqlPush(db),
  };
}

export function sqlDatabase(db: Kysely<Tables>, features: EngineFeatures): Database {
  const statements = new CompiledStatements();
  // Accepting a job is the write every send waits on: concurrent ones share a commit.
  const jobInserts = new GroupCommit<JobRecord, JobInsertResult>(
    (jobs) => db.transaction().execute((tx) => new SqlJobs(tx, statements, features).insertManyNow(jobs)),
    (job) => new SqlJobs(db, statements, features).insertNow(job),
  );
  return {
    ...repositoriesOf(db, statements, features, jobInserts),
    transaction: (fn) => db.transaction().execute((tx) => fn(repositoriesOf(tx, statements, features))),
    isTransientConflict,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * PostgreSQL's deadlock_detected (40P01) and serialization_failure (40001): it rolled the
 * transaction back to break a lock cycle with another one. Two transactions locking the same
 * membership rows in different orders (an owner leaving, which promotes an heir, and the
 * delivery cursors' flush) can meet this way. SQLite has one writer at a time and never does.
 */
function isTransientConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '40P01' || code === '40001';
}
