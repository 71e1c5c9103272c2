import type { Kysely, Migration } from 'kysely';

/**
 * Delivery receipts: how far each member's sockets were sent each room (`delivered_seq`, beside
 * the read cursor `ack_seq`), and whether a user shares read receipts at all.
 */
export const receipts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('memberships')
      .addColumn('delivered_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('users')
      .addColumn('share_read_receipts', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};
