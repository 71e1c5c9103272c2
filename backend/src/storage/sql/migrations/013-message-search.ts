/**
 * Full-text search over message text: finds any part of a word (`exam` in `example.com/path`),
 * version strings and code, case-insensitively, through a trigram index on each engine.
 *
 * SQLite: an FTS5 table with the trigram tokenizer, over the messages table as external content
 * (it stores only the index, keyed by the message's rowid). Triggers keep it in step with every
 * write path, including the group commit and the job processor's batches: a message is indexed
 * while it is live and has text; an edit re-indexes the new text (the old words stop matching);
 * a delete (which blanks the text and sets deleted_at) takes it out. Existing messages are
 * backfilled here.
 *
 * PostgreSQL: pg_trgm (a trusted extension: the database owner may create it) and a GIN index
 * on lower(text), which serves `lower(text) like '%term%'`. Deleted messages have blank text and
 * are also excluded by the query.
 *
 * Frozen: imports only kysely.
 */
import { type Kysely, type Migration, SqliteAdapter, sql } from 'kysely';

const isSqlite = (db: Kysely<unknown>): boolean => db.getExecutor().adapter instanceof SqliteAdapter;

/** The condition under which a row is in the index (old.* or new.*). */
const indexed = (row: 'old' | 'new') => `${row}.deleted_at is null and ${row}.text <> ''`;

export const messageSearch: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    if (!isSqlite(db)) {
      await sql`create extension if not exists pg_trgm`.execute(db);
      await sql`create index messages_text_trgm on messages using gin (lower(text) gin_trgm_ops)`.execute(db);
      return;
    }
    await sql`create virtual table message_search using fts5(
      text, content = 'messages', content_rowid = 'rowid', tokenize = 'trigram'
    )`.execute(db);
    await sql
      .raw(
        `insert into message_search (rowid, text)
         select rowid, text from messages where deleted_at is null and text <> ''`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger message_search_insert after insert on messages when ${indexed('new')}
         begin
           insert into message_search (rowid, text) values (new.rowid, new.text);
         end`,
      )
      .execute(db);
    // An external-content index forgets a row by being told its old text exactly.
    await sql
      .raw(
        `create trigger message_search_update after update of text, deleted_at on messages
         begin
           insert into message_search (message_search, rowid, text)
             select 'delete', old.rowid, old.text where ${indexed('old')};
           insert into message_search (rowid, text)
             select new.rowid, new.text where ${indexed('new')};
         end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger message_search_delete after delete on messages when ${indexed('old')}
         begin
           insert into message_search (message_search, rowid, text) values ('delete', old.rowid, old.text);
         end`,
      )
      .execute(db);
  },
};
