/**
 * A message as clients see it (author, attachment), built from a joined row, for the messages
 * repository. Migration 006 keeps its own frozen copy: change this freely, but a change to what
 * clients see must come with a migration that rebuilds the stored views.
 */
import { type Attachment, avatarUrlOf, type Message, type UserRef } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Tables } from './schema.js';

/** A message as clients see it: with its author, and its file if it has one. */
export const messageView = (db: Kysely<Tables>) =>
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
      'm.thread_id',
      'm.also_to_room',
      'm.reply_count',
      'm.last_reply_at',
      'm.last_repliers',
      'u.id as author_id',
      'u.username as author_username',
      'u.display_name as author_display_name',
      'u.avatar_version as author_avatar_version',
      'f.id as file_id',
      'f.file_name',
      'f.content_type',
      'f.size',
      'f.width',
      'f.height',
      'f.thumbnail_key',
    ]);

export type ViewRow = {
  id: string;
  room_id: string;
  seq: number;
  text: string;
  reply_to: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  thread_id: string | null;
  also_to_room: number;
  reply_count: number;
  last_reply_at: string | null;
  /** JSON of the thread's latest repliers (UserRef[]). */
  last_repliers: string;
  author_id: string;
  author_username: string;
  author_display_name: string;
  /** The author's avatar version (015); null for none. */
  author_avatar_version: string | null;
  file_id: string | null;
  file_name: string | null;
  content_type: string | null;
  size: number | null;
  width: number | null;
  height: number | null;
  thumbnail_key: string | null;
};

export function toMessage(row: ViewRow): Message {
  const message: Message = {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    author: {
      id: row.author_id,
      username: row.author_username,
      displayName: row.author_display_name,
      avatarUrl: avatarUrlOf(row.author_id, row.author_avatar_version),
    },
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
  if (row.thread_id) message.threadId = row.thread_id;
  if (Number(row.also_to_room) === 1) message.alsoToRoom = true;
  if (Number(row.reply_count) > 0 && row.last_reply_at) {
    message.thread = {
      replyCount: Number(row.reply_count),
      lastReplyAt: row.last_reply_at,
      lastRepliers: JSON.parse(row.last_repliers) as UserRef[],
    };
  }
  if (row.edited_at) message.editedAt = row.edited_at;
  if (row.deleted_at) message.deleted = true;
  return message;
}
