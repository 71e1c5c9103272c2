/**
 * The database for the configuration: PostgreSQL when DATABASE_URL is set (several instances
 * may share it), else the embedded SQLite file in DATA_DIR (this process its only user).
 */
import type { Config } from '../../config/config.js';
import type { Database } from '../../core/ports/database.js';
import type { Logger } from '../../logging/logger.js';
import { openPostgres } from '../../storage/postgres/open-postgres.js';
import { openSqlite } from '../../storage/sqlite/open-sqlite.js';

export interface OpenedDatabase {
  db: Database;
  /** True when no other process may use this database (the embedded SQLite file). */
  exclusive: boolean;
}

export async function openDatabase(config: Config, log: Logger): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    const db = await openPostgres(config.databaseUrl, {
      onIdleConnectionError: (error) => log.warn({ err: error }, 'an idle PostgreSQL connection failed'),
    });
    return { db, exclusive: false };
  }
  const db = await openSqlite(config.dataDir);
  // One process owns the SQLite file, so whatever was processing when it last stopped is
  // orphaned: its leases end now. Instances sharing PostgreSQL never do this (each takes over
  // only the jobs whose lease has run out).
  await db.jobs.expireLeases(new Date(0).toISOString());
  return { db, exclusive: true };
}
