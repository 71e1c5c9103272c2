import type { MessageReceipts } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { meRef, message, sam } from '../test/fixtures';
import { describeReceipts, receiptLines, trackedOwnMessages } from './receipts';

const ana = { id: 'u-ana', username: 'ana', displayName: 'Ana' };
const ben = { id: 'u-ben', username: 'ben', displayName: 'Ben' };
const cy = { id: 'u-cy', username: 'cy', displayName: 'Cy' };
const dee = { id: 'u-dee', username: 'dee', displayName: 'Dee' };

const receipts = (recipients: number, delivered: number, seenBy = [] as (typeof ana)[]): MessageReceipts => ({
  messageId: 'm-1',
  recipients,
  delivered,
  seenBy,
});

const label = (value: MessageReceipts | undefined, direct = false) => describeReceipts(value, direct).label;

describe('receipt labels', () => {
  it('goes from Sent to Delivered to N of M to Seen by names, then everyone', () => {
    expect(label(undefined)).toBe('Sent');
    expect(label(receipts(3, 0))).toBe('Sent');
    expect(label(receipts(3, 2))).toBe('Delivered to 2 of 3');
    expect(label(receipts(3, 3, [ana, ben]))).toBe('Seen by Ana, Ben');
    expect(label(receipts(3, 3, [ana, ben, cy]))).toBe('Seen by everyone');
    expect(label(receipts(6, 6, [ana, ben, cy, dee]))).toBe('Seen by Ana, Ben, Cy and 1 other');
    expect(describeReceipts(receipts(5, 4, [ana]), false).detail).toBe('Delivered to 4 of 5 · Seen by Ana');
  });

  it('says Sent when nobody else is in the room', () => {
    expect(label(receipts(0, 0))).toBe('Sent');
  });

  it('speaks of no counts or names in a DM with one other person', () => {
    expect(label(receipts(1, 0), true)).toBe('Sent');
    expect(label(receipts(1, 1), true)).toBe('Delivered');
    expect(label(receipts(1, 1, [ana]), true)).toBe('Seen');
    expect(describeReceipts(receipts(1, 1, [ana]), true).state).toBe('seen');
  });

  it('tracks the newest three own messages and shows a line only where it differs from the newer one', () => {
    const timeline = [
      message(1, { author: meRef }),
      message(2, { author: meRef }),
      message(3, { author: sam }),
      message(4, { author: meRef, deleted: true }),
      message(5, { author: meRef }),
      message(6, { author: meRef }),
    ];
    const tracked = trackedOwnMessages(timeline, meRef.id);
    expect(tracked.map((m) => m.id)).toEqual(['m-6', 'm-5', 'm-2']);

    const lines = receiptLines(
      tracked,
      {
        'm-6': receipts(2, 1),
        'm-5': { ...receipts(2, 2, [ana, ben]), messageId: 'm-5' },
        'm-2': { ...receipts(2, 2, [ana, ben]), messageId: 'm-2' },
      },
      false,
    );
    expect([...lines].map(([id, view]) => [id, view.label])).toEqual([
      ['m-6', 'Delivered to 1 of 2'],
      ['m-5', 'Seen by everyone'],
    ]);
  });
});
