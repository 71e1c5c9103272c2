import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The Mentions inbox and Web Push.
 *
 * `mentions`: who a message calls on, written in the message's own transaction (so the inbox
 * never lags or disagrees with the log, and reading it is an index range, not a scan of every
 * message's text). One row per (recipient, message): `recipient_id` is a user id, or `*` for
 * `@room` / `@here` (everyone in the room: one row, not one per member, so a shout in a big
 * room costs one insert; the reader's rooms pick these up through its memberships). `reason`
 * is the strongest of `mention`, `room`, `reply` (to one's message), `thread` (a reply in a
 * thread one started or replied in). `room_id` and `seq` are copied from the message, so the
 * read state (`memberships.ack_seq`) is compared without touching the messages table.
 * The primary key serves a user's own entries newest first (message ids are time-ordered);
 * `mentions_by_room` serves the room-wide ones of the reader's rooms.
 *
 * `vapid_keys`: the one VAPID key pair of the installation (CHECK id = 1), inserted if absent
 * at start, so every instance that shares the database signs with the same key and the
 * browsers' subscriptions stay valid across restarts and instances.
 *
 * `push_subscriptions`: a browser's PushSubscription, one row per endpoint (a browser that
 * signs in as someone else takes the endpoint over).
 *
 * Frozen: imports only kysely.
 */
export const mentionsAndPush: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('mentions')
      .addColumn('recipient_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
      .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('mentions_pk', ['recipient_id', 'message_id'])
      .execute();
    await db.schema
      .createIndex('mentions_by_room')
      .on('mentions')
      .columns(['room_id', 'recipient_id', 'message_id'])
      .execute();

    await db.schema
      .createTable('vapid_keys')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addCheckConstraint('vapid_keys_one_row', sql`id = 1`)
      .execute();

    await db.schema
      .createTable('push_subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      // The session that subscribed: pushes stop when it ends (sign-out on a shared computer,
      // revocation, a password change). No foreign key: ended sessions may be swept away.
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull().unique())
      .addColumn('p256dh', 'text', (c) => c.notNull())
      .addColumn('auth', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('push_subscriptions_by_user')
      .on('push_subscriptions')
      .column('user_id')
      .execute();
  },
};
