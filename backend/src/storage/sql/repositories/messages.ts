import type { Attachment, Message, UserRef } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { MessagesRepository } from '../../../core/ports/database.js';
import type { FileRecord, MessageRecord } from '../../../core/ports/records.js';
import { type CompiledStatements, statement } from '../compiled-statements.js';
import type { Tables } from '../schema.js';

/** A message as clients see it: with its author, and its file if it has one. */
const messageView = (db: Kysely<Tables>) =>
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

// Run for every message and every history page: compiled once (see compiled-statements.ts).
const insertMessage = statement(
  'messages.insert',
  (
    db: Kysely<Tables>,
    id: string,
    roomId: string,
    seq: number,
    authorId: string,
    text: string,
    replyTo: string | null,
    fileId: string | null,
    createdAt: string,
    editedAt: string | null,
    deletedAt: string | null,
  ) =>
    db.insertInto('messages').values({
      id,
      room_id: roomId,
      seq,
      author_id: authorId,
      text,
      reply_to: replyTo,
      file_id: fileId,
      created_at: createdAt,
      edited_at: editedAt,
      deleted_at: deletedAt,
    }),
);
const newestPage = statement('messages.newestPage', (db: Kysely<Tables>, roomId: string, rows: number) =>
  messageView(db).where('m.room_id', '=', roomId).orderBy('m.seq', 'desc').limit(rows),
);
const pageBefore = statement(
  'messages.pageBefore',
  (db: Kysely<Tables>, roomId: string, before: number, rows: number) =>
    messageView(db)
      .where('m.room_id', '=', roomId)
      .where('m.seq', '<', before)
      .orderBy('m.seq', 'desc')
      .limit(rows),
);
const pageAfter = statement(
  'messages.pageAfter',
  (db: Kysely<Tables>, roomId: string, after: number, rows: number) =>
    messageView(db)
      .where('m.room_id', '=', roomId)
      .where('m.seq', '>', after)
      .orderBy('m.seq', 'asc')
      .limit(rows),
);

export class SqlMessages implements MessagesRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly statements: CompiledStatements,
  ) {}

  async insert(message: MessageRecord, author: UserRef, file: FileRecord | undefined): Promise<Message> {
    await this.statements.run(
      this.db,
      insertMessage,
      message.id,
      message.roomId,
      message.seq,
      message.authorId,
      message.text,
      message.replyTo,
      message.fileId,
      message.createdAt,
      message.editedAt,
      message.deletedAt,
    );
    return toMessage({
      id: message.id,
      room_id: message.roomId,
      seq: message.seq,
      text: message.text,
      reply_to: message.replyTo,
      created_at: message.createdAt,
      edited_at: message.editedAt,
      deleted_at: message.deletedAt,
      author_id: author.id,
      author_username: author.username,
      author_display_name: author.displayName,
      file_id: file?.id ?? null,
      file_name: file?.fileName ?? null,
      content_type: file?.contentType ?? null,
      size: file?.size ?? null,
      width: file?.width ?? null,
      height: file?.height ?? null,
      thumbnail_key: file?.thumbnailKey ?? null,
    });
  }

  async find(id: string): Promise<Message | undefined> {
    const row = await messageView(this.db).where('m.id', '=', id).executeTakeFirst();
    return row && toMessage(row);
  }

  async findRecord(id: string): Promise<MessageRecord | undefined> {
    const row = await this.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      row && {
        id: row.id,
        roomId: row.room_id,
        seq: Number(row.seq),
        authorId: row.author_id,
        text: row.text,
        replyTo: row.reply_to,
        fileId: row.file_id,
        createdAt: row.created_at,
        editedAt: row.edited_at,
        deletedAt: row.deleted_at,
      }
    );
  }

  async page(
    roomId: string,
    cursor: { before?: number; after?: number },
    limit: number,
  ): Promise<{ messages: Message[]; hasMore: boolean }> {
    const { rows } =
      cursor.after !== undefined
        ? await this.statements.run<ViewRow, [string, number, number]>(
            this.db,
            pageAfter,
            roomId,
            cursor.after,
            limit + 1,
          )
        : cursor.before !== undefined
          ? await this.statements.run<ViewRow, [string, number, number]>(
              this.db,
              pageBefore,
              roomId,
              cursor.before,
              limit + 1,
            )
          : await this.statements.run<ViewRow, [string, number]>(this.db, newestPage, roomId, limit + 1);
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit).map(toMessage);
    if (cursor.after === undefined) page.reverse();
    return { messages: page, hasMore };
  }

  async updateText(id: string, text: string, editedAt: string): Promise<void> {
    await this.db.updateTable('messages').set({ text, edited_at: editedAt }).where('id', '=', id).execute();
  }

  async markDeleted(id: string, deletedAt: string): Promise<void> {
    // The text and file link go; the row stays so seqs and replies keep their place.
    await this.db
      .updateTable('messages')
      .set({ deleted_at: deletedAt, text: '', file_id: null })
      .where('id', '=', id)
      .execute();
  }
}

type ViewRow = {
  id: string;
  room_id: string;
  seq: number;
  text: string;
  reply_to: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  author_id: string;
  author_username: string;
  author_display_name: string;
  file_id: string | null;
  file_name: string | null;
  content_type: string | null;
  size: number | null;
  width: number | null;
  height: number | null;
  thumbnail_key: string | null;
};

function toMessage(row: ViewRow): Message {
  const message: Message = {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    author: { id: row.author_id, username: row.author_username, displayName: row.author_display_name },
    text: row.text,
    createdAt: row.created_at,
  };
  if (row.file_id && row.file_name && row.content_type) {
    const attachment: Attachment = {
      id: row.file_id,
      fileName: row.file_name,
      contentType: row.content_type,
      size: Number(row.size),
      url: `/files/${row.file_id}`,
    };
    if (row.thumbnail_key) attachment.thumbnailUrl = `/files/${row.file_id}/thumbnail`;
    if (row.width !== null && row.height !== null) {
      attachment.width = Number(row.width);
      attachment.height = Number(row.height);
    }
    message.attachment = attachment;
  }
  if (row.reply_to) message.replyTo = row.reply_to;
  if (row.edited_at) message.editedAt = row.edited_at;
  if (row.deleted_at) message.deleted = true;
  return message;
}
