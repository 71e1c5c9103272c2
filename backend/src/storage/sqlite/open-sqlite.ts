/** The embedded database: one SQLite file in DATA_DIR, in WAL mode, migrated on open. */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../../core/ports/database.js';
import { migrateToLatest } from '../sql/migrator.js';
import type { Tables } from '../sql/schema.js';
import { sqlDatabase } from '../sql/sql-database.js';

export async function openSqlite(dataDir: string): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = new BetterSqlite3(path.join(dataDir, 'parley.db'));
  file.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before it is acknowledged, so a 202 survives a power cut too.
  file.pragma('synchronous = FULL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: file }) });
  await migrateToLatest(db as Kysely<unknown>);
  return sqlDatabase(db);
}
