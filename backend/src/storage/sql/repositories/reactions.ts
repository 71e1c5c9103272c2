import type { Reaction } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { ReactionsRepository } from '../../../core/ports/database.js';
import type { ReactionRecord } from '../../../core/ports/records.js';
import { chunks, MAX_IDS_PER_QUERY } from '../chunks.js';
import type { EngineFeatures } from '../engine-features.js';
import type { Tables } from '../schema.js';

export class SqlReactions implements ReactionsRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly features: EngineFeatures,
  ) {}

  async lockMessage(messageId: string): Promise<{ roomId: string; deleted: boolean } | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .select(['room_id', 'deleted_at'])
      .where('id', '=', messageId)
      // A delete or edit updates this row, so it waits for us (and we for it) on PostgreSQL.
      .$if(this.features.rowLocks, (query) => query.forUpdate())
      .executeTakeFirst();
    return row && { roomId: row.room_id, deleted: row.deleted_at !== null };
  }

  async add(reaction: ReactionRecord): Promise<boolean> {
    // A concurrent identical add waits on the unique key until the first commits, then does nothing.
    const inserted = await this.db
      .insertInto('reactions')
      .values({
        id: reaction.id,
        message_id: reaction.messageId,
        room_id: reaction.roomId,
        user_id: reaction.userId,
        emoji: reaction.emoji,
        at: reaction.at,
      })
      .onConflict((oc) => oc.columns(['message_id', 'emoji', 'user_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async remove(messageId: string, userId: string, emoji: string): Promise<boolean> {
    const removed = await this.db
      .deleteFrom('reactions')
      .where('message_id', '=', messageId)
      .where('emoji', '=', emoji)
      .where('user_id', '=', userId)
      .returning('id')
      .executeTakeFirst();
    return removed !== undefined;
  }

  async distinctEmojiOf(messageId: string): Promise<number> {
    const row = await this.db
      .selectFrom('reactions')
      .select((eb) => eb.fn.count<number | string>('emoji').distinct().as('n'))
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async ofMessages(messageIds: string[]): Promise<Map<string, Reaction[]>> {
    const byMessage = new Map<string, Map<string, Reaction>>();
    for (const ids of chunks(messageIds, MAX_IDS_PER_QUERY)) {
      const rows = await this.db
        .selectFrom('reactions as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .select(['r.message_id', 'r.emoji', 'u.id as user_id', 'u.username', 'u.display_name'])
        .where('r.message_id', 'in', ids)
        // Ids are UUIDv7: they break ties between reactions of the same millisecond in time order.
        .orderBy('r.at')
        .orderBy('r.id')
        .execute();
      for (const row of rows) {
        const emoji = byMessage.get(row.message_id) ?? new Map<string, Reaction>();
        byMessage.set(row.message_id, emoji);
        // Map keeps insertion order: emoji come out in the order they were first used.
        const reaction = emoji.get(row.emoji) ?? { emoji: row.emoji, count: 0, users: [] };
        emoji.set(row.emoji, reaction);
        reaction.count++;
        reaction.users.push({ id: row.user_id, username: row.username, displayName: row.display_name });
      }
    }
    return new Map([...byMessage].map(([messageId, emoji]) => [messageId, [...emoji.values()]]));
  }

  async deleteOfMessage(messageId: string): Promise<void> {
    await this.db.deleteFrom('reactions').where('message_id', '=', messageId).execute();
  }
}
