/**
 * Saving delivery cursors in bulk. After an event, every member of its room was sent the same
 * seq, so a flush's cursors fall into a few (room, seq) groups: each group is saved with one
 * multi-row update per chunk of members instead of one update per member.
 */
import type { Kysely } from 'kysely';
import { multiRowStatement } from './multi-row-statements.js';
import type { Tables } from './schema.js';

export interface DeliveredGroup {
  roomId: string;
  seq: number;
  userIds: string[];
}

/** Cursors grouped by room and seq, in order of first appearance. */
export function groupByRoomAndSeq(
  cursors: { roomId: string; userId: string; seq: number }[],
): DeliveredGroup[] {
  const groups: DeliveredGroup[] = [];
  const byRoom = new Map<string, Map<number, DeliveredGroup>>();
  for (const { roomId, userId, seq } of cursors) {
    let bySeq = byRoom.get(roomId);
    if (!bySeq) {
      bySeq = new Map();
      byRoom.set(roomId, bySeq);
    }
    let group = bySeq.get(seq);
    if (!group) {
      group = { roomId, seq, userIds: [] };
      bySeq.set(seq, group);
      groups.push(group);
    }
    group.userIds.push(userId);
  }
  return groups;
}

/**
 * Moves the cursors of `rows` members of one room forward to a seq (never back). Arguments:
 * the seq, the room, the seq again (each argument fills one parameter), then the user ids.
 */
export const advanceDeliveredOf = multiRowStatement(
  'memberships.advanceDelivered',
  (rows) =>
    (db: Kysely<Tables>, ...args: unknown[]) =>
      db
        .updateTable('memberships')
        .set({ delivered_seq: args[0] as number })
        .where('room_id', '=', args[1] as string)
        .where('delivered_seq', '<', args[2] as number)
        .where('user_id', 'in', args.slice(3, 3 + rows) as string[]),
);
