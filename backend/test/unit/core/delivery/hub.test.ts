import type { RoomEvent } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../src/core/accounts/principal.js';
import { Connection } from '../../../../src/core/delivery/connection.js';
import { Hub } from '../../../../src/core/delivery/hub.js';
import { InProcessFanOut } from '../../../../src/fanout/in-process-fan-out.js';
import { ann, eventAt } from '../../../support/delivery-fixtures.js';
import { lengthPrefixFramer, unframe } from '../../../support/length-prefix-framer.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

type Writes = { type: string; event?: RoomEvent }[][];

/** A started connection of `principal` in the given rooms, recording every write in `writes`. */
function connect(
  hub: Hub,
  principal: Principal,
  rooms: { roomId: string; lastSeq: number }[],
  log: RoomEvent[],
  writes: Writes,
): void {
  const connection = new Connection(
    {
      send: (data) => writes.push([JSON.parse(data.toString())]),
      sendFramed: (bytes) => writes.push(unframe(bytes).map((p) => JSON.parse(p.toString()))),
      close: () => {},
      bufferedAmount: 0,
    },
    principal,
    async (roomId, after, limit) =>
      log
        .filter((e) => e.roomId === roomId && e.seq > after)
        .slice(0, limit)
        .map((e) => ({ seq: e.seq, json: JSON.stringify(e) })),
    { warn: () => {} },
    {
      resumeRequested: false,
      heartbeatMs: 25_000,
      maxBufferedBytes: 1_000_000,
      catchUpHighWaterBytes: 500_000,
      catchUpPageSize: 100,
      framer: lengthPrefixFramer,
    },
  );
  hub.register(connection);
  connection.start(rooms);
  hub.started(connection);
  writes.length = 0; // forget `ready`
}

/** A hub with one started connection of user `u1` in the given rooms, recording every write. */
function setUp(rooms: { roomId: string; lastSeq: number }[], log: RoomEvent[] = []) {
  const fanOut = new InProcessFanOut();
  const hub = new Hub(fanOut, lengthPrefixFramer);
  const writes: Writes = [];
  connect(hub, ann, rooms, log, writes);
  const publish = (event: RoomEvent) => {
    log.push(event);
    fanOut.publish({ kind: 'room-event', event });
  };
  return { fanOut, hub, writes, publish, log };
}

const bo: Principal = { ...ann, user: { ...ann.user, id: 'u2', username: 'bo' }, sessionId: 's2' };
const seqsOrTypes = (writes: Writes) => writes.map((w) => w.map((f) => f.event?.seq ?? f.type));

let cleanUp: (() => void) | undefined;
afterEach(() => cleanUp?.());

describe('Hub', () => {
  it('sends the events of one turn to a socket in a single write, in seq order', async () => {
    const { hub, writes, publish } = setUp([{ roomId: 'r1', lastSeq: 0 }]);
    cleanUp = () => hub.close();
    publish(eventAt('r1', 1));
    publish(eventAt('r1', 2));
    publish(eventAt('r1', 3));
    expect(writes).toEqual([]); // gathered until the end of the turn
    await nextTurn();
    expect(writes.map((w) => w.map((f) => f.event?.seq))).toEqual([[1, 2, 3]]);
  });

  it('sends what it gathered before any other message, so the order is kept', async () => {
    const { hub, fanOut, writes, publish } = setUp([{ roomId: 'r1', lastSeq: 0 }]);
    cleanUp = () => hub.close();
    publish(eventAt('r1', 1));
    fanOut.publish({
      kind: 'room-frame',
      roomId: 'r1',
      frame: { type: 'typing', roomId: 'r1', user: { id: 'u3', username: 'cy', displayName: 'Cy' } },
    });
    publish(eventAt('r1', 2));
    await nextTurn();
    expect(writes.map((w) => w.map((f) => f.event?.seq ?? f.type))).toEqual([[1], ['typing'], [2]]);
  });

  it("sends a user's frame after that user's gathered events, and leaves everyone else's gather whole", async () => {
    const { hub, fanOut, writes, publish, log } = setUp([{ roomId: 'r1', lastSeq: 0 }]);
    cleanUp = () => hub.close();
    const boWrites: Writes = [];
    connect(hub, bo, [{ roomId: 'r1', lastSeq: 0 }], log, boWrites);
    publish(eventAt('r1', 1));
    publish(eventAt('r1', 2));
    // The answer to a send: a `job` frame for its author (u1) only.
    fanOut.publish({
      kind: 'user-frame',
      userId: 'u1',
      frame: { type: 'error', code: 'internal', message: 'stands in for a job frame' },
    });
    publish(eventAt('r1', 3));
    await nextTurn();
    // u1: its events before its frame, then the rest of the run (only the part it has not had).
    expect(seqsOrTypes(writes)).toEqual([[1, 2], ['error'], [3]]);
    // Bo: the whole gather in one write, as if the frame had not been published.
    expect(seqsOrTypes(boWrites)).toEqual([[1, 2, 3]]);
  });

  it('does not break up a gather for a typing frame the typing gate drops', async () => {
    const { hub, fanOut, writes, publish } = setUp([{ roomId: 'r1', lastSeq: 0 }]);
    cleanUp = () => hub.close();
    const typing = () =>
      fanOut.publish({
        kind: 'room-frame',
        roomId: 'r1',
        frame: { type: 'typing', roomId: 'r1', user: { id: 'u3', username: 'cy', displayName: 'Cy' } },
      });
    typing();
    publish(eventAt('r1', 1));
    typing(); // within the second: dropped
    publish(eventAt('r1', 2));
    await nextTurn();
    expect(seqsOrTypes(writes)).toEqual([['typing'], [1, 2]]);
  });

  it('keeps rooms apart and fills a seq the fan-out lost from the log', async () => {
    const log: RoomEvent[] = [];
    const { hub, writes, publish } = setUp(
      [
        { roomId: 'r1', lastSeq: 0 },
        { roomId: 'r2', lastSeq: 0 },
      ],
      log,
    );
    cleanUp = () => hub.close();
    publish(eventAt('r1', 1));
    publish(eventAt('r2', 1));
    log.push(eventAt('r1', 2)); // committed, but its publish was lost
    publish(eventAt('r1', 3));
    await nextTurn();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const seqsOf = (roomId: string) =>
      writes.flat().flatMap((f) => (f.event?.roomId === roomId ? [f.event.seq] : []));
    expect(seqsOf('r1')).toEqual([1, 2, 3]);
    expect(seqsOf('r2')).toEqual([1]);
  });

  it('stops a room at once when the user leaves it, after the events before the leave', async () => {
    const { hub, fanOut, writes, publish } = setUp([{ roomId: 'r1', lastSeq: 0 }]);
    cleanUp = () => hub.close();
    publish(eventAt('r1', 1));
    fanOut.publish({ kind: 'membership-changed', userId: 'u1', roomId: 'r1', member: false, lastSeq: 1 });
    publish(eventAt('r1', 2));
    await nextTurn();
    expect(writes.flat().map((f) => f.event?.seq)).toEqual([1]);
  });

  it('gathers presence: one write per socket for everyone who came or went, the last status winning', async () => {
    const { hub, fanOut, writes } = setUp([{ roomId: 'r1', lastSeq: 0 }]);
    cleanUp = () => hub.close();
    const change = (userId: string, status: 'online' | 'offline') =>
      fanOut.publish({ kind: 'presence', userId, status, roomIds: ['r1'] });
    change('u2', 'online');
    change('u3', 'online');
    change('u1', 'online'); // the socket's own user: never told about itself
    change('u4', 'online');
    change('u4', 'offline'); // came and went within the turn
    fanOut.publish({ kind: 'presence', userId: 'u5', status: 'online', roomIds: ['elsewhere'] });
    await nextTurn();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toEqual([
      { type: 'presence', userId: 'u2', status: 'online' },
      { type: 'presence', userId: 'u3', status: 'online' },
      { type: 'presence', userId: 'u4', status: 'offline' },
    ]);
  });
});
