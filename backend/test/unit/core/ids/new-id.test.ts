import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../../src/core/ids.js';

describe('newId', () => {
  it('makes valid, distinct UUIDv7s that sort in the order they were made, across pool refills', () => {
    // 2,000 ids span several 4 KiB refills of the random pool and many within one millisecond.
    const ids = Array.from({ length: 2_000 }, () => newId());
    for (const id of ids) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('starts with the current time in milliseconds', () => {
    const before = Date.now();
    const id = newId();
    const msecs = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(Date.now() + 1);
  });
});
