import type { Kysely, Migration } from 'kysely';

/** Leases on cluster-wide duties (sweeps, housekeeping), so one instance at a time runs each. */
export const dutyLeases: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('duty_leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder_id', 'text', (c) => c.notNull())
      .addColumn('lease_until', 'text', (c) => c.notNull())
      .execute();
  },
};
