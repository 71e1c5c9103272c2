/**
 * Kysely's SQLite dialect, made safe for several connections on one file (other processes):
 * transactions hold the write lock from their start, and migrations run in transactions.
 *
 * Kysely begins transactions deferred: one reads under a snapshot and asks for the write lock
 * only at its first write. If another connection holds that lock or has committed since the
 * snapshot, the upgrade fails at once with SQLITE_BUSY (or SQLITE_BUSY_SNAPSHOT): busy_timeout
 * does not wait there, since waiting could deadlock. Many of our transactions read before they
 * write (check a claim, then complete the job; check a membership, then append), so with a
 * second writer they would fail. BEGIN IMMEDIATE takes the write lock at `begin`, where
 * busy_timeout does wait, so a transaction that has begun never loses its snapshot. With one
 * process it costs nothing: its one connection is the only writer anyway.
 *
 * Kysely runs SQLite migrations outside any transaction (it takes no migration lock either,
 * counting on one connection). SQLite's DDL is transactional, so here migrations run in one
 * IMMEDIATE transaction: a crash mid-migration leaves nothing half done, and processes opening a
 * new file at once migrate it one after the other (the later ones find it migrated).
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

class ImmediateTransactionsDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class TransactionalSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new ImmediateTransactionsDriver(this.config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
}
