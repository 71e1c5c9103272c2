/** The embedded database: one SQLite file in DATA_DIR, in WAL mode, migrated on open. */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
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
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) });
  await migrateToLatest(db as Kysely<unknown>);
  return sqlDatabase(db);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing is a good part of a query's cost here. The same
 * SQL text gets the same prepared statement (most recently used kept, bounded).
 */
function withStatementCache(file: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => file.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = file.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
