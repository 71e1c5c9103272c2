/** The embedded database: one SQLite file in DATA_DIR, in WAL mode, migrated on open. */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Database } from '../../core/ports/database.js';
import { migrateToLatest } from '../sql/migrator.js';
import type { Tables } from '../sql/schema.js';
import { sqlDatabase } from '../sql/sql-database.js';
import { TransactionalSqliteDialect } from './transactional-sqlite-dialect.js';

/** How long a statement waits for another connection's write lock before failing SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

export interface SqliteOptions {
  /**
   * Called with the connection once it is configured, before it is used (tests read its
   * settings: a kill -9 cannot show that a commit would not survive a power cut).
   */
  onConfigured?: (file: BetterSqlite3.Database) => void;
}

export async function openSqlite(dataDir: string, options: SqliteOptions = {}): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = new BetterSqlite3(path.join(dataDir, 'parley.db'), { timeout: BUSY_TIMEOUT_MS });
  await useWriteAheadLog(file);
  // FULL: a commit is on disk before it is acknowledged, so a 202 survives a power cut too.
  file.pragma('synchronous = FULL');
  file.pragma('foreign_keys = ON');
  options.onConfigured?.(file);
  const db = new Kysely<Tables>({
    dialect: new TransactionalSqliteDialect({ database: withStatementCache(file) }),
  });
  await migrateToLatest(db as Kysely<unknown>);
  // SQLite has no row locks: a write transaction holds the whole database (begun IMMEDIATE).
  return sqlDatabase(db, { rowLocks: false, textSearch: 'fts5-trigram' });
}

/**
 * WAL: readers never wait for the writer. The mode is stored in the file, but switching a new
 * file to it needs the file to itself, and fails at once (busy_timeout does not apply) while
 * another process opening it at the same moment holds a lock: then try again, for a while.
 */
async function useWriteAheadLog(file: BetterSqlite3.Database): Promise<void> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      if (file.pragma('journal_mode = WAL', { simple: true }) === 'wal') return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error('could not switch the SQLite file to WAL mode');
    await sleep(10);
  }
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
