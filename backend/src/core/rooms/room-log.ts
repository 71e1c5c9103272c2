/**
 * The room log: every change in a room is an event with the room's next seq, taken inside the
 * committing transaction, so seqs are gapless and in commit order.
 */
import type { RoomEvent } from '@parley/protocol';
import { toUserRef } from '../accounts/principal.js';
import { nowIso } from '../clock.js';
import type { Repositories } from '../ports/database.js';

type Actor = { id: string; username: string; displayName: string };

/** Takes the next seq, lets `build` write what the event describes (the projection) and return
 * the event's content, stores the event, and returns it for publishing after commit. */
export async function appendEvent<E extends RoomEvent>(
  tx: Repositories,
  roomId: string,
  actor: Actor,
  build: (seq: number, at: string) => Pick<E, 'type' | 'data'> | Promise<Pick<E, 'type' | 'data'>>,
): Promise<E> {
  const seq = await tx.rooms.takeNextSeq(roomId);
  const at = nowIso();
  const { type, data } = await build(seq, at);
  const event = { roomId, seq, type, at, actor: toUserRef(actor), data } as E;
  await tx.events.insert(event);
  return event;
}
