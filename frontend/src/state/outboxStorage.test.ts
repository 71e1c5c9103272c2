import { beforeEach, describe, expect, it } from 'vitest';
import type { OutboxItem } from './outbox';
import { browserOutboxStorage, fromStored, outboxStorageKey, toStored } from './outboxStorage';

const NOW = Date.parse('2025-01-02T12:00:00.000Z');

function item(localId: string, extra: Partial<OutboxItem> = {}): OutboxItem {
  return {
    localId,
    idempotencyKey: `key-${localId}`,
    roomId: 'r-general',
    kind: 'message',
    text: `text ${localId}`,
    status: 'waiting',
    createdAt: '2025-01-02T11:59:00.000Z',
    ...extra,
  };
}

describe('outbox storage', () => {
  beforeEach(() => localStorage.clear());

  it('keeps text messages not known to be delivered, and never files', () => {
    const stored = toStored([
      item('a'),
      item('b', { status: 'sending' }),
      item('c', { status: 'queued', jobId: 'j-c' }),
      item('d', { status: 'queued', jobId: 'j-d', messageId: 'm-4' }),
      item('e', { kind: 'file', file: { name: 'cat.png', size: 3, type: 'image/png' } }),
      item('f', { status: 'failed', error: 'Join the room first.' }),
    ]);
    expect(stored.map((entry) => [entry.localId, entry.state])).toEqual([
      ['a', 'waiting'],
      ['b', 'sending'],
      ['c', 'queued'],
      ['f', 'failed'],
    ]);
    expect(stored[0]).toEqual({
      localId: 'a',
      roomId: 'r-general',
      text: 'text a',
      idempotencyKey: 'key-a',
      createdAt: '2025-01-02T11:59:00.000Z',
      state: 'waiting',
    });
  });

  it('reads back whatever had not failed as waiting, with its key; a failed one stays failed', () => {
    const restored = fromStored(
      toStored([item('a', { status: 'sending' }), item('f', { status: 'failed', error: 'No.' })]),
      NOW,
    );
    expect(restored).toEqual([
      expect.objectContaining({ localId: 'a', idempotencyKey: 'key-a', status: 'waiting', kind: 'message' }),
      expect.objectContaining({ localId: 'f', status: 'failed', error: 'No.' }),
    ]);
  });

  it('does not resend by itself what is older than the server keeps its key', () => {
    const [old] = fromStored(toStored([item('a', { createdAt: '2024-12-31T12:00:00.000Z' })]), NOW);
    expect(old).toMatchObject({ status: 'failed', jobFailed: true });
  });

  it('ignores what it cannot read', () => {
    expect(fromStored('nope')).toEqual([]);
    expect(fromStored([{ localId: 1 }, null, item('a')], NOW)).toHaveLength(0);
    localStorage.setItem(outboxStorageKey('u-1'), '{not json');
    expect(browserOutboxStorage('u-1').load()).toEqual([]);
  });

  it('stores per user, and removes the entry once nothing is left', () => {
    const alice = browserOutboxStorage('u-alice');
    alice.save([item('a')]);
    expect(browserOutboxStorage('u-bob').load()).toEqual([]);
    expect(
      browserOutboxStorage('u-alice')
        .load()
        .map((entry) => entry.localId),
    ).toEqual(['a']);
    alice.save([item('a', { messageId: 'm-1' })]);
    expect(localStorage.getItem(outboxStorageKey('u-alice'))).toBeNull();
  });
});
