import type { Kysely, Migration } from 'kysely';

/**
 * The audit log: security and admin events (sign-ins and their failures, sessions ended,
 * deactivations, role changes, removals, dead letters retried), newest read first. `details`
 * is a JSON object as text, the same on SQLite and PostgreSQL.
 */
export const auditLog: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('audit_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('target_id', 'text')
      .addColumn('ip', 'text')
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    // Pages are read newest first by (at, id).
    await db.schema.createIndex('audit_events_at').on('audit_events').columns(['at', 'id']).execute();
  },
};
