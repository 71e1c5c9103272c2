/**
 * The fan-out contract: what every FanOut (in-process, Redis) must guarantee. A target opens the
 * fan-out of one instance; the in-process target is a cluster of one process, so each of its
 * "instances" is the same fan-out, and the cross-instance tests hold for it trivially.
 */
import type { RoomEvent } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { FanOut, FanOutMessage } from '../../src/core/ports/fan-out.js';
import { eventAt } from '../support/delivery-fixtures.js';

export interface FanOutTarget {
  name: string;
  /** The fan-out of a new instance (the same one, for the in-process target). */
  instance(): Promise<FanOut>;
  /** Closes every instance opened so far. */
  closeAll(): Promise<void>;
}

/** Records what a fan-out delivers; `until` waits (a few seconds at most) for a condition. */
export function recorder(fanOut: FanOut) {
  const received: FanOutMessage[] = [];
  fanOut.subscribe((message) => received.push(message));
  return {
    received,
    roomSeqs: (roomId: string) =>
      received.flatMap((m) => (m.kind === 'room-event' && m.event.roomId === roomId ? [m.event.seq] : [])),
    until: (condition: () => boolean, timeoutMs = 5000) => waitFor(condition, timeoutMs),
  };
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const roomEvent = (roomId: string, seq: number): FanOutMessage => ({
  kind: 'room-event',
  event: eventAt(roomId, seq),
});

export function describeFanOutContract(target: FanOutTarget): void {
  describe(`FanOut contract: ${target.name}`, () => {
    afterEach(() => target.closeAll());

    it("delivers a message to this instance's listeners at once, each exactly once, in publish order", async () => {
      const fanOut = await target.instance();
      const first = recorder(fanOut);
      const second = recorder(fanOut);
      for (let seq = 1; seq <= 50; seq++) fanOut.publish(roomEvent('r1', seq));
      const expected = Array.from({ length: 50 }, (_, i) => i + 1);
      // Synchronously: a use case that just committed may rely on its own caches being told.
      expect(first.roomSeqs('r1')).toEqual(expected);
      expect(second.roomSeqs('r1')).toEqual(expected);
      await new Promise((resolve) => setTimeout(resolve, 200)); // any echo would be back by now
      expect(first.roomSeqs('r1')).toEqual(expected);
    });

    it('stops delivering to a listener that unsubscribed', async () => {
      const fanOut = await target.instance();
      const kept = recorder(fanOut);
      const dropped: FanOutMessage[] = [];
      const unsubscribe = fanOut.subscribe((message) => dropped.push(message));
      fanOut.publish(roomEvent('r1', 1));
      unsubscribe();
      fanOut.publish(roomEvent('r1', 2));
      await kept.until(() => kept.received.length === 2);
      expect(dropped).toHaveLength(1);
    });

    it("gives two instances each other's messages exactly once, in each publisher's order", async () => {
      const a = await target.instance();
      const b = await target.instance();
      const atA = recorder(a);
      const atB = recorder(b);
      for (let seq = 1; seq <= 500; seq++) {
        a.publish(roomEvent('from-a', seq));
        b.publish(roomEvent('from-b', seq));
      }
      const expected = Array.from({ length: 500 }, (_, i) => i + 1);
      for (const at of [atA, atB]) {
        await at.until(() => at.received.length >= 1000);
        expect(at.roomSeqs('from-a')).toEqual(expected);
        expect(at.roomSeqs('from-b')).toEqual(expected);
      }
      // A marker published after everything: once it is in, no duplicate can still be on its way.
      a.publish(roomEvent('marker', 1));
      await atB.until(() => atB.roomSeqs('marker').length === 1);
      await atA.until(() => atA.roomSeqs('marker').length === 1);
      expect(atA.received).toHaveLength(1001);
      expect(atB.received).toHaveLength(1001);
    });

    it('carries every kind of message unchanged, as the wire would', async () => {
      const a = await target.instance();
      const b = await target.instance();
      const atB = recorder(b);
      const event: RoomEvent = eventAt('r1', 7);
      const messages: FanOutMessage[] = [
        { kind: 'room-event', event },
        { kind: 'user-frame', userId: 'u1', frame: { type: 'pong', ref: 'x' } },
        { kind: 'room-frame', roomId: 'r1', frame: { type: 'pong' }, exceptUserId: 'u2' },
        { kind: 'session-ended', sessionId: 's1' },
        { kind: 'presence', userId: 'u1', status: 'online', roomIds: ['r1', 'r2'] },
        { kind: 'membership-changed', userId: 'u1', roomId: 'r1', member: true, lastSeq: 3 },
        { kind: 'jobs-queued' },
      ];
      for (const message of messages) a.publish(message);
      await atB.until(() => atB.received.length === messages.length);
      expect(atB.received).toEqual(JSON.parse(JSON.stringify(messages)));
    });

    it('never throws at a publisher, even after close', async () => {
      const fanOut = await target.instance();
      fanOut.subscribe(() => {
        throw new Error('a broken listener');
      });
      const after = recorder(fanOut);
      await target.closeAll();
      expect(() => fanOut.publish(roomEvent('r1', 1))).not.toThrow();
      expect(after.received).toEqual([]);
    });
  });
}
