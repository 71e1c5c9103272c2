/**
 * The scaled-out database: PostgreSQL through a pool of connections, migrated on open. Several
 * Parley instances may open the same database at once: the migrator holds an advisory lock, and
 * the repositories lock rows (`for update skip locked`) where two instances could race.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { dependencyUnavailable } from '../../core/errors.js';
import type { Database } from '../../core/ports/database.js';
import { migrateToLatest } from '../sql/migrator.js';
import type { Tables } from '../sql/schema.js';
import { sqlDatabase } from '../sql/sql-database.js';

export interface PostgresOptions {
  /** Connections this process keeps open at most (default 10). */
  maxConnections?: number;
  /**
   * Told when a pooled connection fails, idle or checked out (the server restarted, a network
   * cut); the pool drops that connection and opens another when needed.
   */
  onIdleConnectionError?: (error: Error) => void;
}

const DEFAULT_MAX_CONNECTIONS = 10;

/** Opens `url` (postgres://user@host:port/database) and applies every pending migration. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    application_name: 'parley',
  });
  pool.on('error', (error) => options.onIdleConnectionError?.(error));
  // A connection that cannot be opened (PostgreSQL stopped or unreachable) fails the request
  // with 503 and Retry-After rather than 500: nothing was done, and the same request can be
  // sent again. A connection that breaks while checked out emits 'error' on its client, which
  // the pool only listens to while the client is idle: without a listener of our own that
  // event would end the process (its query fails anyway, and the pool drops the client).
  const failingUnavailable = {
    connect: async () => {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw dependencyUnavailable('The database', error);
      }
      const onError = (error: Error) => options.onIdleConnectionError?.(error);
      client.on('error', onError);
      const release = client.release;
      client.release = (destroy?: Error | boolean) => {
        client.removeListener('error', onError);
        release.call(client, destroy);
      };
      return client;
    },
    end: () => pool.end(),
  };
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: failingUnavailable }) });
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return sqlDatabase(db, { rowLocks: true, textSearch: 'pg-trgm' });
}
