import type { Message, UserRef } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { MessagesRepository } from '../../../core/ports/database.js';
import type { FileRecord, MessageRecord } from '../../../core/ports/records.js';
import { withReply } from '../../../core/threads/thread-summary.js';
import { type CompiledStatements, statement } from '../compiled-statements.js';
import { messageView, toMessage } from '../message-view.js';
import { argumentRows, multiRowStatement, runInChunks } from '../multi-row-statements.js';
import type { Tables } from '../schema.js';

/** A new message's row from insertMessage's arguments (after the database). */
const newMessageRow = (
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
  view: string,
  threadId: string | null,
  alsoToRoom: number,
) => ({
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
  view,
  thread_id: threadId,
  also_to_room: alsoToRoom,
  reply_count: 0,
  last_repliers: '[]',
});
type NewMessageArguments = Parameters<typeof newMessageRow>;

// Run for every message and every history page: compiled once (see compiled-statements.ts).
const insertMessage = statement('messages.insert', (db: Kysely<Tables>, ...args: NewMessageArguments) =>
  db.insertInto('messages').values(newMessageRow(...args)),
);
/** The same insert for a chunk of messages (insertMessage's arguments message after message). */
const insertMessages = multiRowStatement(
  'messages.insertMany',
  (rows) =>
    (db, ...args) =>
      db
        .insertInto('messages')
        .values(argumentRows<NewMessageArguments>(args, rows).map((row) => newMessageRow(...row))),
);
// Pages read the stored view: one column of an index range, no join.
const newestPage = statement('messages.newestPage', (db: Kysely<Tables>, roomId: string, rows: number) =>
  db.selectFrom('messages').select('view').where('room_id', '=', roomId).orderBy('seq', 'desc').limit(rows),
);
/** A page on one side of a seq: below it newest first, or above it oldest first. */
const pageBeside = (name: string, side: '<' | '>', order: 'asc' | 'desc') =>
  statement(name, (db: Kysely<Tables>, roomId: string, seq: number, rows: number) =>
    db
      .selectFrom('messages')
      .select('view')
      .where('room_id', '=', roomId)
      .where('seq', side, seq)
      .orderBy('seq', order)
      .limit(rows),
  );
const pageBefore = pageBeside('messages.pageBefore', '<', 'desc');
/** A thread's replies above a seq, oldest first: a range of the (thread_id, seq) index. */
const threadPage = statement(
  'messages.threadPage',
  (db: Kysely<Tables>, rootId: string, seq: number, rows: number) =>
    db
      .selectFrom('messages')
      .select('view')
      .where('thread_id', '=', rootId)
      .where('seq', '>', seq)
      .orderBy('seq', 'asc')
      .limit(rows),
);
const pageAfter = pageBeside('messages.pageAfter', '>', 'asc');

export class SqlMessages implements MessagesRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly statements: CompiledStatements,
  ) {}

  async insert(message: MessageRecord, author: AuthorRef, file: FileRecord | undefined): Promise<Message> {
    const view = viewOf(message, author, file);
    await this.statements.run(this.db, insertMessage, ...rowOf(message, view));
    return view;
  }

  async insertMany(messages: { message: MessageRecord; author: AuthorRef }[]): Promise<Message[]> {
    const rows = messages.map(({ message, author }) => ({
      message,
      view: viewOf(message, author, undefined),
    }));
    await runInChunks(this.statements, this.db, insertMessages, rows, ({ message, view }) =>
      rowOf(message, view),
    );
    return rows.map(({ view }) => view);
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
        threadId: row.thread_id,
        alsoToRoom: Number(row.also_to_room) === 1,
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
        ? await this.statements.run<{ view: string }, [string, number, number]>(
            this.db,
            pageAfter,
            roomId,
            cursor.after,
            limit + 1,
          )
        : cursor.before !== undefined
          ? await this.statements.run<{ view: string }, [string, number, number]>(
              this.db,
              pageBefore,
              roomId,
              cursor.before,
              limit + 1,
            )
          : await this.statements.run<{ view: string }, [string, number]>(
              this.db,
              newestPage,
              roomId,
              limit + 1,
            );
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit).map((row) => JSON.parse(row.view) as Message);
    if (cursor.after === undefined) page.reverse();
    return { messages: page, hasMore };
  }

  async updateText(id: string, text: string, editedAt: string): Promise<void> {
    await this.db.updateTable('messages').set({ text, edited_at: editedAt }).where('id', '=', id).execute();
    await this.refreshView(id);
  }

  async markDeleted(id: string, deletedAt: string): Promise<void> {
    // The text and file link go; the row stays so seqs and replies keep their place.
    await this.db
      .updateTable('messages')
      .set({ deleted_at: deletedAt, text: '', file_id: null })
      .where('id', '=', id)
      .execute();
    await this.refreshView(id);
  }

  async recordReply(rootId: string, author: UserRef, at: string): Promise<void> {
    // Read and written under the room's seq lock (the reply's event took it), so concurrent
    // replies to one root are counted one after the other.
    const root = await this.db
      .selectFrom('messages')
      .select(['view'])
      .where('id', '=', rootId)
      .executeTakeFirst();
    if (!root) return;
    const view = JSON.parse(root.view) as Message;
    const thread = withReply(view.thread, author, at);
    await this.db
      .updateTable('messages')
      .set({
        reply_count: thread.replyCount,
        last_reply_at: thread.lastReplyAt,
        last_repliers: JSON.stringify(thread.lastRepliers),
        view: JSON.stringify({ ...view, thread }),
      })
      .where('id', '=', rootId)
      .execute();
  }

  async threadReplies(
    rootId: string,
    after: number,
    limit: number,
  ): Promise<{ replies: Message[]; hasMore: boolean }> {
    const { rows } = await this.statements.run<{ view: string }, [string, number, number]>(
      this.db,
      threadPage,
      rootId,
      after,
      limit + 1,
    );
    const replies = rows.slice(0, limit).map((row) => JSON.parse(row.view) as Message);
    return { replies, hasMore: rows.length > limit };
  }

  /** Rebuilds the stored view from the row after a change (edits and deletes are rare). */
  private async refreshView(id: string): Promise<void> {
    const message = await this.find(id);
    if (message) {
      await this.db
        .updateTable('messages')
        .set({ view: JSON.stringify(message) })
        .where('id', '=', id)
        .execute();
    }
  }
}

/** A message as clients see it, built from what is written (no read back). */
/** A message's author as written into its view: the avatar's version too (migration 015). */
type AuthorRef = UserRef & { avatarVersion?: string | null };

function viewOf(message: MessageRecord, author: AuthorRef, file: FileRecord | undefined): Message {
  return toMessage({
    id: message.id,
    room_id: message.roomId,
    seq: message.seq,
    text: message.text,
    reply_to: message.replyTo,
    created_at: message.createdAt,
    edited_at: message.editedAt,
    deleted_at: message.deletedAt,
    thread_id: message.threadId ?? null,
    also_to_room: message.alsoToRoom ? 1 : 0,
    reply_count: 0,
    last_reply_at: null,
    last_repliers: '[]',
    author_id: author.id,
    author_username: author.username,
    author_display_name: author.displayName,
    author_avatar_version: author.avatarVersion ?? null,
    file_id: file?.id ?? null,
    file_name: file?.fileName ?? null,
    content_type: file?.contentType ?? null,
    size: file?.size ?? null,
    width: file?.width ?? null,
    height: file?.height ?? null,
    thumbnail_key: file?.thumbnailKey ?? null,
  });
}

/** insertMessage's arguments for a message, after the database. */
function rowOf(message: MessageRecord, view: Message) {
  return [
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
    JSON.stringify(view),
    message.threadId ?? null,
    message.alsoToRoom ? 1 : 0,
  ] as const;
}
