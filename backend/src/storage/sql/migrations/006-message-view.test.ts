import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { messageView, toMessage } from '../message-view.js';
import { migrateToLatest } from '../migrator.js';
import type { Tables } from '../schema.js';

let db: Kysely<Tables> | undefined;
afterEach(async () => {
  await db?.destroy();
});

describe('migration 006: stored message views', () => {
  it('gives every existing message its view, as reading it with the join builds it', async () => {
    db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
    await migrateToLatest(db as Kysely<unknown>, '005-job-blob-key');
    const at = '2026-01-01T00:00:00.000Z';
    const raw = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await raw
      .insertInto('users')
      .values({
        id: 'u1',
        username: 'ann',
        display_name: 'Ann',
        role: 'member',
        password_hash: 'x',
        created_at: at,
      })
      .execute();
    await raw
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
    await raw
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
        thumbnail_key: null,
        created_at: at,
      })
      .execute();
    // More than one backfill batch (1,000), one with a file, one edited, one deleted.
    const count = 1_203;
    for (let seq = 1; seq <= count; seq++) {
      await raw
        .insertInto('messages')
        .values({
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
        })
        .execute();
    }

    await migrateToLatest(db as Kysely<unknown>);

    const stored = await db.selectFrom('messages').select(['id', 'view']).orderBy('id').execute();
    const joined = await messageView(db).orderBy('m.id').execute();
    expect(stored).toHaveLength(count);
    expect(stored.map((row) => JSON.parse(row.view))).toEqual(joined.map(toMessage));
    expect(JSON.parse(stored[0]?.view ?? '{}')).toMatchObject({
      attachment: { fileName: 'a.png', width: 2 },
    });
  });
});
