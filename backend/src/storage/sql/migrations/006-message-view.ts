/**
 * Each message stores its view (JSON of the message as clients see it), so a page of history is
 * one indexed range of one column instead of a join materialised row by row. Existing messages
 * get theirs here, a batch at a time.
 *
 * Frozen: a migration must build what it built the day it was written, whatever the live code
 * becomes, so the join and the view below are copies of storage/sql/message-view.ts as of this
 * migration, typed against the tables as they were then. Never import app code from here.
 */
import type { Kysely, Migration } from 'kysely';

const BACKFILL_BATCH = 1_000;

/** The tables this migration reads and writes, as they were after migration 005. */
interface TablesAt006 {
  messages: {
    id: string;
    room_id: string;
    seq: number;
    author_id: string;
    text: string;
    reply_to: string | null;
    file_id: string | null;
    created_at: string;
    edited_at: string | null;
    deleted_at: string | null;
    view: string;
  };
  users: { id: string; username: string; display_name: string };
  files: {
    id: string;
    file_name: string;
    content_type: string;
    size: number;
    width: number | null;
    height: number | null;
    thumbnail_key: string | null;
  };
}

/** A message as clients saw it when this migration was written. */
interface MessageViewAt006 {
  id: string;
  roomId: string;
  seq: number;
  author: { id: string; username: string; displayName: string };
  text: string;
  createdAt: string;
  attachment?: {
    id: string;
    fileName: string;
    contentType: string;
    size: number;
    url: string;
    thumbnailUrl?: string;
    width?: number;
    height?: number;
  };
  replyTo?: string;
  editedAt?: string;
  deleted?: true;
}

const joinedMessages = (db: Kysely<TablesAt006>) =>
  db
    .selectFrom('messages as m')
    .innerJoin('users as u', 'u.id', 'm.author_id')
    .leftJoin('files as f', 'f.id', 'm.file_id')
    .select([
      'm.id',
      'm.room_id',
      'm.seq',
      'm.text',
      'm.reply_to',
      'm.created_at',
      'm.edited_at',
      'm.deleted_at',
      'u.id as author_id',
      'u.username as author_username',
      'u.display_name as author_display_name',
      'f.id as file_id',
      'f.file_name',
      'f.content_type',
      'f.size',
      'f.width',
      'f.height',
      'f.thumbnail_key',
    ]);

type JoinedRow = Awaited<ReturnType<ReturnType<typeof joinedMessages>['execute']>>[number];

function viewOf(row: JoinedRow): MessageViewAt006 {
  const view: MessageViewAt006 = {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    author: { id: row.author_id, username: row.author_username, displayName: row.author_display_name },
    text: row.text,
    createdAt: row.created_at,
  };
  if (row.file_id && row.file_name && row.content_type) {
    view.attachment = {
      id: row.file_id,
      fileName: row.file_name,
      contentType: row.content_type,
      size: Number(row.size),
      url: `/files/${row.file_id}`,
    };
    if (row.thumbnail_key) view.attachment.thumbnailUrl = `/files/${row.file_id}/thumbnail`;
    if (row.width !== null && row.height !== null) {
      view.attachment.width = Number(row.width);
      view.attachment.height = Number(row.height);
    }
  }
  if (row.reply_to) view.replyTo = row.reply_to;
  if (row.edited_at) view.editedAt = row.edited_at;
  if (row.deleted_at) view.deleted = true;
  return view;
}

export const messageViews: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('messages')
      .addColumn('view', 'text', (column) => column.notNull().defaultTo(''))
      .execute();
    const typed = db as Kysely<TablesAt006>;
    let after = '';
    for (;;) {
      const rows = await joinedMessages(typed)
        .where('m.id', '>', after)
        .orderBy('m.id')
        .limit(BACKFILL_BATCH)
        .execute();
      for (const row of rows) {
        await typed
          .updateTable('messages')
          .set({ view: JSON.stringify(viewOf(row)) })
          .where('id', '=', row.id)
          .execute();
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < BACKFILL_BATCH) break;
      after = last.id;
    }
  },
};
