import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompiledStatements, statement } from '../../src/storage/sql/compiled-statements.js';
import type { Tables } from '../../src/storage/sql/schema.js';

// A real SQLite database with a table shaped like ours; the statements are typed against Tables.
let db: Kysely<Tables>;

beforeEach(async () => {
  db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  await db.schema
    .createTable('rooms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text')
    .addColumn('name', 'text')
    .addColumn('topic', 'text')
    .addColumn('visibility', 'text')
    .addColumn('last_seq', 'integer')
    .addColumn('created_at', 'text')
    .addColumn('dm_key', 'text')
    .execute();
});

afterEach(async () => {
  await db.destroy();
});

const insertRoom = statement(
  'test.insertRoom',
  (k: Kysely<Tables>, id: string, name: string, lastSeq: number) =>
    k.insertInto('rooms').values({
      id,
      slug: id,
      name,
      topic: '',
      visibility: 'public', // a constant of the query, not an argument
      last_seq: lastSeq,
      created_at: 'now',
      dm_key: null,
    }),
);
const bump = statement('test.bump', (k: Kysely<Tables>, id: string) =>
  k
    .updateTable('rooms')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', id)
    .returning(['id', 'last_seq', 'visibility']),
);

describe('CompiledStatements', () => {
  it('runs the same SQL with each call’s arguments, keeping the query’s own constants', async () => {
    const statements = new CompiledStatements();
    await statements.run(db, insertRoom, 'a', 'Room A', 5);
    await statements.run(db, insertRoom, 'b', 'Room B', 10);
    expect((await statements.run(db, bump, 'b')).rows).toEqual([
      { id: 'b', last_seq: 11, visibility: 'public' },
    ]);
    expect((await statements.run(db, bump, 'a')).rows).toEqual([
      { id: 'a', last_seq: 6, visibility: 'public' },
    ]);
    const rows = await db.selectFrom('rooms').select(['id', 'name']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'a', name: 'Room A' },
      { id: 'b', name: 'Room B' },
    ]);
  });

  it('runs inside a transaction like any query, and rolls back with it', async () => {
    const statements = new CompiledStatements();
    await statements.run(db, insertRoom, 'a', 'Room A', 1);
    await expect(
      db.transaction().execute(async (tx) => {
        await statements.run(tx, bump, 'a');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await statements.run(db, bump, 'a')).rows[0]).toMatchObject({ last_seq: 2 });
  });

  it('refuses a statement that computes with an argument instead of passing it through', async () => {
    const statements = new CompiledStatements();
    const computed = statement('test.computed', (k: Kysely<Tables>, id: string, seq: number) =>
      k
        .updateTable('rooms')
        .set({ last_seq: seq + 1 })
        .where('id', '=', id),
    );
    await expect(statements.run(db, computed, 'a', 1)).rejects.toThrow(/argument 1 is not a plain parameter/);
  });
});
