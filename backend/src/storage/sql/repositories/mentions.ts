/**
 * The Mentions inbox over the `mentions` table of migration 016. A reader's entries are their
 * own rows (the primary key `(recipient_id, message_id)`, newest first since message ids are
 * time-ordered) and the room-wide rows (`*`) of the rooms they are in now (`mentions_by_room`);
 * both are joined to the reader's memberships, so a room they left or cannot read lists
 * nothing, and to the message, so a deleted one drops out.
 */
import type { MentionReason, Message } from '@parley/protocol';
import { MENTION_REASONS } from '@parley/protocol';
import { type Kysely, type SqlBool, sql } from 'kysely';
import {
  EVERYONE,
  type InboxRow,
  type MentionRecord,
  type MentionsRepository,
} from '../../../core/ports/mentions.js';
import type { Tables } from '../schema.js';

const strength = (reason: MentionReason): number => MENTION_REASONS.indexOf(reason);

export class SqlMentions implements MentionsRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async membersNamed(roomId: string, usernames: string[]): Promise<string[]> {
    if (usernames.length === 0) return [];
    const rows = await this.db
      .selectFrom('users as u')
      .innerJoin('memberships as ms', (join) =>
        join.onRef('ms.user_id', '=', 'u.id').on('ms.room_id', '=', roomId),
      )
      .select('u.id')
      .where('u.username', 'in', usernames)
      .execute();
    return rows.map((row) => row.id);
  }

  async threadParticipants(rootId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('messages')
      .select('author_id')
      .distinct()
      .where((eb) => eb.or([eb('id', '=', rootId), eb('thread_id', '=', rootId)]))
      .execute();
    return rows.map((row) => row.author_id);
  }

  async insert(rows: MentionRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('mentions')
      .values(
        rows.map((row) => ({
          recipient_id: row.recipientId,
          message_id: row.messageId,
          room_id: row.roomId,
          seq: row.seq,
          reason: row.reason,
        })),
      )
      .onConflict((oc) => oc.columns(['recipient_id', 'message_id']).doNothing())
      .execute();
  }

  async inboxOf(userId: string, page: { before?: string; limit: number }): Promise<InboxRow[]> {
    // Two index ranges, each at most a page: the reader's own rows and the room-wide ones of
    // their rooms; merged here, a message named in both keeps its strongest reason.
    const [own, everyone] = await Promise.all([
      this.page(userId, userId, page),
      this.page(userId, EVERYONE, page),
    ]);
    const byMessage = new Map<string, InboxRow>();
    for (const row of [...own, ...everyone]) {
      const known = byMessage.get(row.message.id);
      if (!known || strength(row.reason) < strength(known.reason)) byMessage.set(row.message.id, row);
    }
    return [...byMessage.values()]
      .sort((a, b) => (a.message.id < b.message.id ? 1 : a.message.id > b.message.id ? -1 : 0))
      .slice(0, page.limit + 1);
  }

  private async page(
    userId: string,
    recipientId: string,
    page: { before?: string; limit: number },
  ): Promise<InboxRow[]> {
    const rows = await this.db
      .selectFrom('mentions as mn')
      .innerJoin('memberships as ms', (join) =>
        join.onRef('ms.room_id', '=', 'mn.room_id').on('ms.user_id', '=', userId),
      )
      .innerJoin('messages as m', 'm.id', 'mn.message_id')
      .innerJoin('rooms as r', 'r.id', 'mn.room_id')
      .select([
        'm.view',
        'mn.reason',
        'mn.seq',
        'ms.ack_seq',
        'r.id as room_id',
        'r.slug',
        'r.name',
        'r.visibility',
      ])
      .where('mn.recipient_id', '=', recipientId)
      .where('m.deleted_at', 'is', null)
      .$if(recipientId === EVERYONE, (q) => q.where('m.author_id', '<>', userId))
      .$if(page.before !== undefined, (q) => q.where('mn.message_id', '<', page.before ?? ''))
      .orderBy('mn.message_id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return rows.map((row) => ({
      message: JSON.parse(row.view) as Message,
      room: { id: row.room_id, slug: row.slug, name: row.name, kind: row.visibility },
      reason: row.reason as MentionReason,
      seq: Number(row.seq),
      ackSeq: Number(row.ack_seq),
    }));
  }

  async unreadCountOf(userId: string, cap: number): Promise<number> {
    const unread = this.db
      .selectFrom('mentions as mn')
      .innerJoin('memberships as ms', (join) =>
        join.onRef('ms.room_id', '=', 'mn.room_id').on('ms.user_id', '=', userId),
      )
      .innerJoin('messages as m', 'm.id', 'mn.message_id')
      .select('mn.message_id')
      .distinct()
      .where(sql<SqlBool>`mn.seq > ms.ack_seq`)
      .where('m.deleted_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('mn.recipient_id', '=', userId),
          eb.and([eb('mn.recipient_id', '=', EVERYONE), eb('m.author_id', '<>', userId)]),
        ]),
      )
      .limit(cap)
      .as('unread');
    const row = await this.db
      .selectFrom(unread)
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async ofMessage(messageId: string): Promise<{ recipientId: string; reason: MentionReason }[]> {
    const rows = await this.db
      .selectFrom('mentions')
      .select(['recipient_id', 'reason'])
      .where('message_id', '=', messageId)
      .execute();
    return rows.map((row) => ({ recipientId: row.recipient_id, reason: row.reason as MentionReason }));
  }
}
