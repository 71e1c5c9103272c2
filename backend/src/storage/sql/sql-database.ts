/** The storage port over Kysely: one implementation for every SQL dialect we run on. */
import { type Kysely, sql } from 'kysely';
import type { Database, Repositories } from '../../core/ports/database.js';
import { SqlEvents } from './repositories/events.js';
import { SqlFiles } from './repositories/files.js';
import { SqlJobs } from './repositories/jobs.js';
import { SqlMessages } from './repositories/messages.js';
import { SqlMemberships, SqlRooms } from './repositories/rooms.js';
import { SqlSessions, SqlTickets } from './repositories/sessions.js';
import { SqlUsers } from './repositories/users.js';
import type { Tables } from './schema.js';

function repositoriesOf(db: Kysely<Tables>): Repositories {
  return {
    users: new SqlUsers(db),
    sessions: new SqlSessions(db),
    tickets: new SqlTickets(db),
    rooms: new SqlRooms(db),
    memberships: new SqlMemberships(db),
    events: new SqlEvents(db),
    messages: new SqlMessages(db),
    files: new SqlFiles(db),
    jobs: new SqlJobs(db),
  };
}

export function sqlDatabase(db: Kysely<Tables>): Database {
  return {
    ...repositoriesOf(db),
    transaction: (fn) => db.transaction().execute((tx) => fn(repositoriesOf(tx))),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
