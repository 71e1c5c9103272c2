/**
 * Threads: a message with `reply_to` belongs to the thread of its root (`thread_id`: the replied
 * message's own thread, or the replied message itself). A reply is thread-only unless sent with
 * `also_to_room` (1). The root keeps its thread's summary (`reply_count`, `last_reply_at`,
 * `last_repliers`: JSON of up to three user refs, latest first), so a page of history still reads
 * only the stored view. The index serves a thread's replies in seq order and counts per root.
 *
 * Replies written before this migration were sent to the room (the web app showed them there),
 * so they become replies also sent to the room; their roots get their summaries, and the stored
 * views of both are patched to what clients see now.
 *
 * Frozen: imports only kysely; the tables are typed as they were after migration 011.
 */
import type { Kysely, Migration } from 'kysely';

const BACKFILL_BATCH = 1_000;
const LAST_REPLIERS = 3;

interface TablesAt012 {
  messages: {
    id: string;
    room_id: string;
    seq: number;
    author_id: string;
    reply_to: string | null;
    created_at: string;
    view: string;
    thread_id: string | null;
    also_to_room: number;
    reply_count: number;
    last_reply_at: string | null;
    last_repliers: string;
  };
  users: { id: string; username: string; display_name: string };
}

type UserRefAt012 = { id: string; username: string; displayName: string };

/** The stored view with fields added, leaving what it held as it was. */
function patchView(view: string, fields: Record<string, unknown>): string {
  return JSON.stringify({ ...(JSON.parse(view) as Record<string, unknown>), ...fields });
}

export const threads: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    const alter = () => db.schema.alterTable('messages');
    await alter().addColumn('thread_id', 'text').execute();
    await alter()
      .addColumn('also_to_room', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();
    await alter()
      .addColumn('reply_count', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();
    await alter().addColumn('last_reply_at', 'text').execute();
    await alter()
      .addColumn('last_repliers', 'text', (column) => column.notNull().defaultTo('[]'))
      .execute();
    await db.schema.createIndex('messages_thread_seq').on('messages').columns(['thread_id', 'seq']).execute();

    const typed = db as Kysely<TablesAt012>;
    // Replies in seq order per room: a replied reply already has its thread when it is read.
    let after = { roomId: '', seq: 0 };
    const roots = new Set<string>();
    for (;;) {
      const rows = await typed
        .selectFrom('messages')
        .select(['id', 'room_id', 'seq', 'reply_to', 'view'])
        .where('reply_to', 'is not', null)
        .where((eb) =>
          eb.or([
            eb('room_id', '>', after.roomId),
            eb.and([eb('room_id', '=', after.roomId), eb('seq', '>', after.seq)]),
          ]),
        )
        .orderBy('room_id')
        .orderBy('seq')
        .limit(BACKFILL_BATCH)
        .execute();
      for (const row of rows) {
        const parent = await typed
          .selectFrom('messages')
          .select(['id', 'thread_id'])
          .where('id', '=', row.reply_to as string)
          .executeTakeFirst();
        if (!parent) continue;
        const threadId = parent.thread_id ?? parent.id;
        roots.add(threadId);
        await typed
          .updateTable('messages')
          .set({
            thread_id: threadId,
            also_to_room: 1,
            view: patchView(row.view, { threadId, alsoToRoom: true }),
          })
          .where('id', '=', row.id)
          .execute();
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < BACKFILL_BATCH) break;
      after = { roomId: last.room_id, seq: Number(last.seq) };
    }

    for (const rootId of roots) {
      const replies = await typed
        .selectFrom('messages as m')
        .innerJoin('users as u', 'u.id', 'm.author_id')
        .select(['m.created_at', 'u.id', 'u.username', 'u.display_name'])
        .where('m.thread_id', '=', rootId)
        .orderBy('m.seq', 'desc')
        .execute();
      const latest = replies[0];
      const root = await typed
        .selectFrom('messages')
        .select('view')
        .where('id', '=', rootId)
        .executeTakeFirst();
      if (!latest || !root) continue;
      const lastRepliers: UserRefAt012[] = [];
      for (const reply of replies) {
        if (lastRepliers.length === LAST_REPLIERS) break;
        if (lastRepliers.some((user) => user.id === reply.id)) continue;
        lastRepliers.push({ id: reply.id, username: reply.username, displayName: reply.display_name });
      }
      const thread = { replyCount: replies.length, lastReplyAt: latest.created_at, lastRepliers };
      await typed
        .updateTable('messages')
        .set({
          reply_count: replies.length,
          last_reply_at: latest.created_at,
          last_repliers: JSON.stringify(lastRepliers),
          view: patchView(root.view, { thread }),
        })
        .where('id', '=', rootId)
        .execute();
    }
  },
};
