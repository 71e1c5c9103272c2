import { type Kysely, type Migration, sql } from 'kysely';

/**
 * A one-row table of instance-wide facts; its first is who signed up first. Two sign-ups at the
 * same time (on two instances) both counted no users before inserting and both became admin;
 * now the first account is claimed by a conditional update of this row, which only one wins.
 * An instance that already has users records its earliest one.
 */
export const firstAccount: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('instance')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('first_user_id', 'text')
      .addCheckConstraint('instance_one_row', sql`id = 1`)
      .execute();
    await sql`insert into instance (id, first_user_id)
      values (1, (select id from users order by created_at, id limit 1))`.execute(db);
  },
};
