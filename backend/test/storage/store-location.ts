/** Where a store under test lives, so that other processes can open the same one. */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/core/ports/database.js';
import { openPostgres } from '../../src/storage/postgres/open-postgres.js';
import { openSqlite } from '../../src/storage/sqlite/open-sqlite.js';
import { TransactionalSqliteDialect } from '../../src/storage/sqlite/transactional-sqlite-dialect.js';

export type StoreLocation = { engine: 'sqlite'; dataDir: string } | { engine: 'postgres'; url: string };

/** Opens the store with its own connection (SQLite) or pool (PostgreSQL), as an instance would. */
export function openStore(location: StoreLocation): Promise<Database> {
  return location.engine === 'sqlite' ? openSqlite(location.dataDir) : openPostgres(location.url);
}

/** The bare database, unmigrated, for tests of the migrations themselves. */
export function openBareKysely(location: StoreLocation): Kysely<unknown> {
  return new Kysely<unknown>({
    dialect:
      location.engine === 'sqlite'
        ? new TransactionalSqliteDialect({
            database: new BetterSqlite3(path.join(location.dataDir, 'parley.db')),
          })
        : new PostgresDialect({ pool: new pg.Pool({ connectionString: location.url, max: 2 }) }),
  });
}
