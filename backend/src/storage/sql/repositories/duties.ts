import type { Kysely } from 'kysely';
import type { DutiesRepository } from '../../../core/ports/database.js';
import type { Tables } from '../schema.js';

export class SqlDuties implements DutiesRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async tryAcquire(name: string, holderId: string, now: string, until: string): Promise<boolean> {
    // One upsert: a new duty is inserted; a held one changes hands only when the update's
    // condition holds on the row as it is when the update runs (PostgreSQL re-reads it after
    // waiting for a concurrent taker's lock), so of concurrent takers at most one gets a row back.
    const taken = await this.db
      .insertInto('duty_leases')
      .values({ name, holder_id: holderId, lease_until: until })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({
            holder_id: eb.ref('excluded.holder_id'),
            lease_until: eb.ref('excluded.lease_until'),
          }))
          .where((eb) =>
            eb.or([eb('duty_leases.holder_id', '=', holderId), eb('duty_leases.lease_until', '<=', now)]),
          ),
      )
      .returning('name')
      .executeTakeFirst();
    return taken !== undefined;
  }

  async release(name: string, holderId: string): Promise<void> {
    await this.db
      .deleteFrom('duty_leases')
      .where('name', '=', name)
      .where('holder_id', '=', holderId)
      .execute();
  }
}
