import type { RoomEvent } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { Connection, type ConnectionOptions } from '../../../../src/core/delivery/connection.js';
import type { FrameSink } from '../../../../src/core/delivery/frame-sink.js';
import { ann, eventAt } from '../../../support/delivery-fixtures.js';
import { lengthPrefixFramer, unframe } from '../../../support/length-prefix-framer.js';

const ROOM = 'room-1';
/** A room log in memory and a socket that records what it was sent. */
function harness(options: Partial<ConnectionOptions> = {}, logLength = 0) {
  const log: RoomEvent[] = Array.from({ length: logLength }, (_, i) => eventAt(ROOM, i + 1));
  const sent: { type: string; event?: RoomEvent; code?: string }[] = [];
  /** How many frames each write to the socket carried. */
  const writes: number[] = [];
  let closedWith: number | undefined;
  let buffered = 0;
  const sink: FrameSink = {
    send: (data) => {
      writes.push(1);
      sent.push(JSON.parse(data.toString()));
    },
    sendFramed: (bytes) => {
      const payloads = unframe(bytes);
      writes.push(payloads.length);
      for (const payload of payloads) sent.push(JSON.parse(payload.toString()));
    },
    close: (code) => {
      closedWith = code;
    },
    get bufferedAmount() {
      return buffered;
    },
  };
  const reads: number[] = [];
  const connection = new Connection(
    sink,
    ann,
    async (roomId, after, limit) => {
      reads.push(after);
      await Promise.resolve();
      return log
        .filter((e) => e.roomId === roomId && e.seq > after)
        .slice(0, limit)
        .map((e) => ({ seq: e.seq, json: JSON.stringify(e) }));
    },
    { warn: () => {} },
    {
      resumeRequested: false,
      heartbeatMs: 25_000,
      maxBufferedBytes: 1_000_000,
      catchUpHighWaterBytes: 500_000,
      catchUpPageSize: 3,
      framer: lengthPrefixFramer,
      ...options,
    },
  );
  const commit = (seq: number) => {
    const event = eventAt(ROOM, seq);
    log.push(event);
    return event;
  };
  return {
    connection,
    log,
    commit,
    reads,
    seqs: () => sent.filter((f) => f.type === 'event').map((f) => f.event?.seq),
    frames: sent,
    writes,
    closedWith: () => closedWith,
    setBuffered: (bytes: number) => {
      buffered = bytes;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('Connection', () => {
  it('sends ready first, then live events in seq order', () => {
    const h = harness({}, 2);
    h.connection.start([{ roomId: ROOM, lastSeq: 2 }]);
    h.connection.deliver(h.commit(3));
    h.connection.deliver(h.commit(4));
    expect(h.frames[0]?.type).toBe('ready');
    expect(h.seqs()).toEqual([3, 4]);
  });

  it('drops duplicates of events already sent', () => {
    const h = harness({}, 0);
    h.connection.start([{ roomId: ROOM, lastSeq: 0 }]);
    const first = h.commit(1);
    h.connection.deliver(first);
    h.connection.deliver(first);
    expect(h.seqs()).toEqual([1]);
  });

  it('fills a gap from the log when a fan-out packet was lost', async () => {
    const h = harness({}, 0);
    h.connection.start([{ roomId: ROOM, lastSeq: 0 }]);
    h.connection.deliver(h.commit(1));
    h.commit(2); // lost on the way
    h.connection.deliver(h.commit(3));
    await settle();
    expect(h.seqs()).toEqual([1, 2, 3]);
  });

  it('keeps order when events arrive out of order', async () => {
    const h = harness({}, 0);
    h.connection.start([{ roomId: ROOM, lastSeq: 0 }]);
    const one = h.commit(1);
    const two = h.commit(2);
    h.connection.deliver(two);
    h.connection.deliver(one);
    await settle();
    expect(h.seqs()).toEqual([1, 2]);
  });

  it('holds events until resume, then replays from the cursor with no gap or duplicate', async () => {
    const h = harness({ resumeRequested: true }, 10);
    h.connection.start([{ roomId: ROOM, lastSeq: 10 }]);
    h.connection.deliver(h.commit(11)); // committed while held: must not be sent yet
    expect(h.seqs()).toEqual([]);
    h.connection.resume({ [ROOM]: 4 });
    h.connection.deliver(h.commit(12)); // committed during the replay
    await settle();
    h.connection.deliver(h.commit(13));
    await settle();
    expect(h.seqs()).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('a late resume replays only above both the cursor and what was already sent', async () => {
    const h = harness({}, 5);
    h.connection.start([{ roomId: ROOM, lastSeq: 5 }]);
    h.connection.deliver(h.commit(6));
    h.connection.resume({ [ROOM]: 2 });
    await settle();
    expect(h.seqs()).toEqual([6]);
  });

  it('buffers events that commit between registration and ready', async () => {
    const h = harness({}, 3);
    const early = h.commit(4);
    h.connection.deliver(early); // before start: the rooms were not read yet
    h.connection.start([{ roomId: ROOM, lastSeq: 3 }]);
    await settle();
    expect(h.seqs()).toEqual([4]);
  });

  it('ignores rooms it is not in, and stops a room at once on removal', () => {
    const h = harness({}, 0);
    h.connection.start([{ roomId: ROOM, lastSeq: 0 }]);
    h.connection.deliver(eventAt('elsewhere', 1));
    h.connection.removeRoom(ROOM);
    h.connection.deliver(h.commit(1));
    expect(h.seqs()).toEqual([]);
  });

  it('starts a room added while connected from the join, without a reconnect', async () => {
    const h = harness({}, 0);
    h.connection.start([]);
    h.commit(1);
    h.commit(2); // the member.joined event of this user
    h.connection.addRoom(ROOM, 1);
    await settle();
    h.connection.deliver(h.commit(3));
    expect(h.seqs()).toEqual([2, 3]);
  });

  it('closes a consumer whose buffer passes the bound with 4009', () => {
    const h = harness({ maxBufferedBytes: 100 }, 0);
    h.connection.start([{ roomId: ROOM, lastSeq: 0 }]);
    h.setBuffered(101);
    h.connection.deliver(h.commit(1));
    expect(h.closedWith()).toBe(4009);
    h.connection.deliver(h.commit(2));
    expect(h.seqs()).toEqual([1]);
  });

  describe('with a transport that frames (runs and pages in one write)', () => {
    const framed = (events: RoomEvent[]) => {
      const each = events.map((event) =>
        lengthPrefixFramer.frame(Buffer.from(JSON.stringify({ type: 'event', event }))),
      );
      return { roomId: ROOM, events, framed: each, all: Buffer.concat(each) };
    };

    it('sends a run in one write to a socket in step, and tells delivery once', () => {
      const delivered: number[] = [];
      const h = harness({ onDelivered: (_, seq) => delivered.push(seq) }, 2);
      h.connection.start([{ roomId: ROOM, lastSeq: 2 }]);
      h.connection.deliverRun(framed([h.commit(3), h.commit(4), h.commit(5)]));
      expect(h.seqs()).toEqual([3, 4, 5]);
      expect(h.writes).toEqual([1, 3]); // ready, then the run
      expect(delivered).toEqual([5]);
    });

    it('goes event by event when out of step: duplicates dropped, a gap filled from the log', async () => {
      const h = harness({}, 0);
      h.connection.start([{ roomId: ROOM, lastSeq: 0 }]);
      h.connection.deliverRun(framed([h.commit(1), h.commit(2)]));
      h.connection.deliverRun(framed([eventAt(ROOM, 2), h.commit(3)])); // overlaps what was sent
      h.commit(4); // lost on the way
      h.connection.deliverRun(framed([h.commit(5), h.commit(6)]));
      await settle();
      expect(h.seqs()).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('holds a run like single events before ready and while waiting for resume', async () => {
      const h = harness({ resumeRequested: true }, 1);
      h.connection.deliverRun(framed([h.commit(2)])); // before ready: buffered
      h.connection.start([{ roomId: ROOM, lastSeq: 1 }]);
      h.connection.deliverRun(framed([h.commit(3)])); // held until resume
      expect(h.seqs()).toEqual([]);
      h.connection.resume({ [ROOM]: 0 });
      await settle();
      expect(h.seqs()).toEqual([1, 2, 3]);
    });

    it('writes each catch-up page once', async () => {
      const h = harness({ resumeRequested: true, catchUpPageSize: 4 }, 10);
      h.connection.start([{ roomId: ROOM, lastSeq: 10 }]);
      h.connection.resume({ [ROOM]: 0 });
      await settle();
      expect(h.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(h.writes).toEqual([1, 4, 4, 2]);
    });
  });
});
