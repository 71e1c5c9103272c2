/**
 * The room log: every change in a room is an event with the room's next seq, taken inside the
 * committing transaction, so seqs are gapless and in commit order. The event is handed to the
 * unit of work, which publishes it once the transaction commits.
 */
import type { RoomEvent, UserRef } from '@parley/protocol';
import { toUserRef } from '../accounts/principal.js';
import { nowIso } from '../clock.js';
import type { Transaction } from '../unit-of-work.js';

/** Takes the next seq, lets `build` write what the event describes (the projection) and return
 * the event's content, stores the event, and queues it for publishing after the commit. */
export async function appendEvent<E extends RoomEvent>(
  tx: Transaction,
  roomId: string,
  actor: UserRef,
  build: (seq: number, at: string) => Pick<E, 'type' | 'data'> | Promise<Pick<E, 'type' | 'data'>>,
): Promise<E> {
  const seq = await tx.rooms.takeNextSeq(roomId);
  const at = nowIso();
  const { type, data } = await build(seq, at);
  const event = { roomId, seq, type, at, actor: toUserRef(actor), data } as E;
  await tx.events.insert(event);
  tx.publishAfterCommit({ kind: 'room-event', event });
  return event;
}

/**
 * appendEvent for a batch of events in one room (a batch of accepted messages): takes their seqs
 * with one statement, lets `build` write every projection at once and return each event's
 * content (in seq order, one per seq), stores the events with a few statements, and queues them
 * for publishing after the commit, in seq order.
 */
export async function appendEvents<E extends RoomEvent>(
  tx: Transaction,
  roomId: string,
  actors: UserRef[],
  build: (seqs: number[], at: string) => Pick<E, 'type' | 'data'>[] | Promise<Pick<E, 'type' | 'data'>[]>,
): Promise<E[]> {
  const first = await tx.rooms.takeNextSeqs(roomId, actors.length);
  const seqs = actors.map((_, index) => first + index);
  const at = nowIso();
  const contents = await build(seqs, at);
  if (contents.length !== seqs.length) throw new Error('appendEvents: one event per seq');
  const events = contents.map(
    ({ type, data }, index) =>
      ({ roomId, seq: seqs[index]!, type, at, actor: toUserRef(actors[index]!), data }) as E,
  );
  await tx.events.insertMany(events);
  for (const event of events) tx.publishAfterCommit({ kind: 'room-event', event });
  return events;
}
