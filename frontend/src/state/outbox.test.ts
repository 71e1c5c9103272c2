import { describe, expect, it } from 'vitest';
import { job, me, meRef, message, ROOM, sam } from '../test/fixtures';
import { type OutboxItem, visibleOutbox, withClaim, withJob, withoutDelivered } from './outbox';

function pending(localId: string, text: string, extra: Partial<OutboxItem> = {}): OutboxItem {
  return {
    localId,
    idempotencyKey: localId,
    roomId: ROOM,
    kind: 'message',
    text,
    status: 'sending',
    createdAt: '2025-01-01T12:00:00.000Z',
    ...extra,
  };
}

const inTimeline = (ids: string[]) => (_roomId: string, messageId: string) => ids.includes(messageId);

describe('outbox reconciliation', () => {
  it('keeps an item pending until the message named by its job result is in the timeline', () => {
    let outbox = withJob([pending('a', 'hello')], job('j1'), 'a');
    expect(outbox[0]).toMatchObject({ jobId: 'j1', status: 'queued' });

    outbox = withJob(outbox, job('j1', { status: 'completed', result: { messageId: 'm-7', seq: 7 } }));
    expect(outbox[0]?.messageId).toBe('m-7');
    expect(withoutDelivered(outbox, inTimeline([])).outbox).toHaveLength(1);

    const { outbox: rest, delivered } = withoutDelivered(outbox, inTimeline(['m-7']));
    expect(rest).toHaveLength(0);
    expect(delivered.map((item) => item.localId)).toEqual(['a']);
  });

  it('hides an item as soon as its own message event arrives before the job frame', () => {
    let outbox = withJob([pending('a', 'hello'), pending('b', 'hello')], job('j1'), 'a');
    const event = message(7, { author: meRef, text: 'hello' });
    outbox = withClaim(outbox, event, me.id);
    expect(visibleOutbox(outbox, ROOM).map((item) => item.localId)).toEqual(['b']);
    // The same event again claims nothing more.
    expect(withClaim(outbox, event, me.id)).toBe(outbox);

    outbox = withJob(outbox, job('j1', { status: 'completed', result: { messageId: 'm-7', seq: 7 } }));
    expect(withoutDelivered(outbox, inTimeline(['m-7'])).outbox.map((item) => item.localId)).toEqual(['b']);
  });

  it('ignores other people and drops a wrong claim when the job names another message', () => {
    const outbox = withJob([pending('a', 'hi')], job('j1'), 'a');
    expect(withClaim(outbox, message(3, { author: sam, text: 'hi' }), me.id)).toBe(outbox);

    const claimed = withClaim(outbox, message(4, { author: meRef, text: 'hi' }), me.id);
    const corrected = withJob(
      claimed,
      job('j1', { status: 'completed', result: { messageId: 'm-9', seq: 9 } }),
    );
    expect(corrected[0]?.claimedBy).toBeUndefined();
    expect(visibleOutbox(corrected, ROOM)).toHaveLength(1);
  });

  it('shows a failed job with its reason and marks it for a new key on retry', () => {
    const outbox = withJob(
      [pending('a', 'hello', { jobId: 'j1', status: 'queued', claimedBy: 'm-3' })],
      job('j1', { status: 'failed', error: { code: 'internal', message: 'Gave up after 5 attempts.' } }),
    );
    expect(outbox[0]).toMatchObject({
      status: 'failed',
      jobFailed: true,
      error: 'Gave up after 5 attempts.',
    });
    expect(visibleOutbox(outbox, ROOM)).toHaveLength(1);
  });
});
