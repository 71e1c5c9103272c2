/**
 * The migrations on each engine, from the state before a migration to after it, on data the
 * migration must carry over. Expected values are written out: a migration is frozen, so its
 * test must not compare it with live code that may change later.
 */
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../src/storage/sql/migrator.js';
import type { StorageTarget } from '../contract/storage-target.js';
import { openBareKysely } from '../store-location.js';

type Bare = Kysely<Record<string, Record<string, unknown>>>;
const at = '2026-01-01T00:00:00.000Z';

export function describeMigrations(target: StorageTarget): void {
  describe(`Migrations: ${target.name}`, () => {
    let db: Bare | undefined;

    afterEach(async () => {
      await db?.destroy();
      db = undefined;
    });

    async function migratedUpTo(migration: string): Promise<Bare> {
      db = openBareKysely(await target.newStore()) as Bare;
      await migrateToLatest(db as Kysely<unknown>, migration);
      return db;
    }

    const insertUser = (bare: Bare, id: string, createdAt: string) =>
      bare
        .insertInto('users')
        .values({
          id,
          username: id,
          display_name: id.toUpperCase(),
          role: 'member',
          password_hash: 'x',
          created_at: createdAt,
        })
        .execute();

    it('006 gives every existing message its stored view', async () => {
      const bare = await migratedUpTo('005-job-blob-key');
      await insertUser(bare, 'u1', at);
      await bare
        .insertInto('rooms')
        .values({
          id: 'r1',
          slug: 'r1',
          name: 'r1',
          topic: '',
          visibility: 'public',
          last_seq: 0,
          created_at: at,
        })
        .execute();
      await bare
        .insertInto('files')
        .values({
          id: 'f1',
          room_id: 'r1',
          uploader_id: 'u1',
          blob_key: 'uploads/f1',
          file_name: 'a.png',
          content_type: 'image/png',
          size: 10,
          width: 2,
          height: 3,
          thumbnail_key: 'thumbnails/f1.webp',
          created_at: at,
        })
        .execute();
      // More than one backfill batch (1,000): one with a file, one a reply and edited, one deleted.
      const count = 1_203;
      const messages = Array.from({ length: count }, (_, index) => {
        const seq = index + 1;
        return {
          id: `m${String(seq).padStart(5, '0')}`,
          room_id: 'r1',
          seq,
          author_id: 'u1',
          text: seq === 3 ? '' : `text ${seq}`,
          reply_to: seq === 2 ? 'm00001' : null,
          file_id: seq === 1 ? 'f1' : null,
          created_at: at,
          edited_at: seq === 2 ? at : null,
          deleted_at: seq === 3 ? at : null,
        };
      });
      for (let start = 0; start < count; start += 200) {
        await bare
          .insertInto('messages')
          .values(messages.slice(start, start + 200))
          .execute();
      }

      // Up to 006 only: later migrations (012, threads) add to the views of replies.
      await migrateToLatest(bare as Kysely<unknown>, '006-message-view');

      const stored = await bare.selectFrom('messages').select(['id', 'seq', 'view']).orderBy('seq').execute();
      const views = stored.map((row) => JSON.parse(String(row.view)) as Record<string, unknown>);
      expect(views).toHaveLength(count);
      const author = { id: 'u1', username: 'u1', displayName: 'U1' };
      const common = { roomId: 'r1', author, createdAt: at };
      expect(views.slice(0, 4)).toEqual([
        {
          id: 'm00001',
          seq: 1,
          text: 'text 1',
          ...common,
          attachment: {
            id: 'f1',
            fileName: 'a.png',
            contentType: 'image/png',
            size: 10,
            url: '/files/f1',
            thumbnailUrl: '/files/f1/thumbnail',
            width: 2,
            height: 3,
          },
        },
        { id: 'm00002', seq: 2, text: 'text 2', ...common, replyTo: 'm00001', editedAt: at },
        { id: 'm00003', seq: 3, text: '', ...common, deleted: true },
        { id: 'm00004', seq: 4, text: 'text 4', ...common },
      ]);
      // The key order too: clients get the stored JSON as it is.
      expect(Object.keys(views[1] ?? {})).toEqual([
        'id',
        'roomId',
        'seq',
        'author',
        'text',
        'createdAt',
        'replyTo',
        'editedAt',
      ]);
      expect(views.every((view, index) => view.seq === Number(stored[index]?.seq))).toBe(true);
    });

    it('007 records the earliest existing user as the first account', async () => {
      const bare = await migratedUpTo('006-message-view');
      await insertUser(bare, 'later', '2026-02-01T00:00:00.000Z');
      await insertUser(bare, 'earliest', at);
      await migrateToLatest(bare as Kysely<unknown>);
      expect(await bare.selectFrom('instance').selectAll().execute()).toEqual([
        { id: 1, first_user_id: 'earliest' },
      ]);
    });

    it('009 keeps existing sessions, with no last-seen time or user agent yet', async () => {
      const bare = await migratedUpTo('008-duty-leases');
      await insertUser(bare, 'u1', at);
      await bare
        .insertInto('sessions')
        .values({
          id: 's1',
          user_id: 'u1',
          token_hash: 'h1',
          created_at: at,
          expires_at: at,
          revoked_at: null,
        })
        .execute();
      await migrateToLatest(bare as Kysely<unknown>);
      expect(await bare.selectFrom('sessions').selectAll().execute()).toEqual([
        {
          id: 's1',
          user_id: 'u1',
          token_hash: 'h1',
          created_at: at,
          expires_at: at,
          revoked_at: null,
          last_seen_at: null,
          user_agent: null,
        },
      ]);
    });

    it('012 puts earlier replies in their roots’ threads, also sent to the room, and sums them up', async () => {
      const bare = await migratedUpTo('010-audit-log');
      await insertUser(bare, 'u1', at);
      await insertUser(bare, 'u2', at);
      await bare
        .insertInto('rooms')
        .values({
          id: 'r1',
          slug: 'r1',
          name: 'r1',
          topic: '',
          visibility: 'public',
          last_seq: 4,
          created_at: at,
        })
        .execute();
      const later = '2026-01-02T00:00:00.000Z';
      const rows = [
        { id: 'm1', seq: 1, author_id: 'u1', reply_to: null, created_at: at },
        { id: 'm2', seq: 2, author_id: 'u2', reply_to: 'm1', created_at: at },
        { id: 'm3', seq: 3, author_id: 'u1', reply_to: 'm2', created_at: later },
        { id: 'm4', seq: 4, author_id: 'u2', reply_to: null, created_at: later },
      ];
      for (const row of rows) {
        const view = { id: row.id, roomId: 'r1', seq: row.seq, text: row.id, createdAt: row.created_at };
        await bare
          .insertInto('messages')
          .values({
            ...row,
            room_id: 'r1',
            text: row.id,
            file_id: null,
            edited_at: null,
            deleted_at: null,
            view: JSON.stringify(row.reply_to ? { ...view, replyTo: row.reply_to } : view),
          })
          .execute();
      }

      await migrateToLatest(bare as Kysely<unknown>);

      const stored = await bare
        .selectFrom('messages')
        .select(['id', 'thread_id', 'also_to_room', 'reply_count', 'last_reply_at', 'last_repliers', 'view'])
        .orderBy('seq')
        .execute();
      const repliers = [
        { id: 'u1', username: 'u1', displayName: 'U1' },
        { id: 'u2', username: 'u2', displayName: 'U2' },
      ];
      expect(
        stored.map(({ view: _view, ...row }) => ({ ...row, also_to_room: Number(row.also_to_room) })),
      ).toEqual([
        {
          id: 'm1',
          thread_id: null,
          also_to_room: 0,
          reply_count: 2,
          last_reply_at: later,
          last_repliers: JSON.stringify(repliers),
        },
        {
          id: 'm2',
          thread_id: 'm1',
          also_to_room: 1,
          reply_count: 0,
          last_reply_at: null,
          last_repliers: '[]',
        },
        {
          id: 'm3',
          thread_id: 'm1',
          also_to_room: 1,
          reply_count: 0,
          last_reply_at: null,
          last_repliers: '[]',
        },
        {
          id: 'm4',
          thread_id: null,
          also_to_room: 0,
          reply_count: 0,
          last_reply_at: null,
          last_repliers: '[]',
        },
      ]);
      const views = stored.map((row) => JSON.parse(String(row.view)) as Record<string, unknown>);
      expect(views[0]).toEqual({
        id: 'm1',
        roomId: 'r1',
        seq: 1,
        text: 'm1',
        createdAt: at,
        thread: { replyCount: 2, lastReplyAt: later, lastRepliers: repliers },
      });
      expect(views[2]).toEqual({
        id: 'm3',
        roomId: 'r1',
        seq: 3,
        text: 'm3',
        createdAt: later,
        replyTo: 'm2',
        threadId: 'm1',
        alsoToRoom: true,
      });
      expect(views[3]).toEqual({ id: 'm4', roomId: 'r1', seq: 4, text: 'm4', createdAt: later });
    });

    it('007 leaves the first account unclaimed on an instance without users', async () => {
      const bare = await migratedUpTo('007-first-account');
      expect(await bare.selectFrom('instance').selectAll().execute()).toEqual([
        { id: 1, first_user_id: null },
      ]);
    });
  });
}
