import { type Kysely, type Selectable, sql } from 'kysely';
import type { UsersRepository } from '../../../core/ports/database.js';
import type { UserRecord } from '../../../core/ports/records.js';
import type { Tables, UsersTable } from '../schema.js';

export const toUserRecord = (row: Selectable<UsersTable>): UserRecord => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  passwordHash: row.password_hash,
  deactivatedAt: row.deactivated_at,
  createdAt: row.created_at,
  avatarVersion: row.avatar_version ?? null,
});

export class SqlUsers implements UsersRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async claimFirstAccount(userId: string): Promise<boolean> {
    // A conditional update of the one instance row: concurrent claimers queue on it (its row
    // lock in PostgreSQL, the write lock in SQLite) and only the first finds it unclaimed.
    const result = await this.db
      .updateTable('instance')
      .set({ first_user_id: userId })
      .where('id', '=', 1)
      .where('first_user_id', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insert(user: UserRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('users')
      .values({
        id: user.id,
        username: user.username,
        display_name: user.displayName,
        role: user.role,
        password_hash: user.passwordHash,
        deactivated_at: user.deactivatedAt,
        created_at: user.createdAt,
        share_read_receipts: 1,
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUserRecord(row);
  }

  async list(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('created_at').execute();
    return rows.map(toUserRecord);
  }

  async search(text: string, limit: number): Promise<UserRecord[]> {
    // LIKE with its wildcards escaped, so that `_` and `%` in a query match themselves.
    const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where('deactivated_at', 'is', null)
      .where((eb) =>
        eb.or([
          sql<boolean>`lower(username) like ${pattern} escape '\\'`,
          sql<boolean>`lower(display_name) like ${pattern} escape '\\'`,
        ]),
      )
      .orderBy('username')
      .limit(limit)
      .execute();
    return rows.map(toUserRecord);
  }

  async deactivate(id: string, now: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ deactivated_at: now })
      .where('id', '=', id)
      .where('deactivated_at', 'is', null)
      .execute();
  }

  async shareReadReceipts(id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('share_read_receipts')
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(row?.share_read_receipts ?? 1) === 1;
  }

  async setShareReadReceipts(id: string, share: boolean): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ share_read_receipts: share ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }

  async findByIds(ids: string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
    return rows.map(toUserRecord);
  }

  async setDisplayName(id: string, displayName: string): Promise<void> {
    await this.db.updateTable('users').set({ display_name: displayName }).where('id', '=', id).execute();
  }

  async setAvatarVersion(id: string, version: string | null): Promise<string | null> {
    // Read then write in the caller's transaction; two changes of one user's avatar at once are
    // one person with two tabs, and the loser's images are swept as they are replaced below.
    const before = await this.db
      .selectFrom('users')
      .select('avatar_version')
      .where('id', '=', id)
      .executeTakeFirst();
    await this.db.updateTable('users').set({ avatar_version: version }).where('id', '=', id).execute();
    return before?.avatar_version ?? null;
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row && toUserRecord(row);
  }
}
