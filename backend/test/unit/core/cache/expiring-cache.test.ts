import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExpiringCache } from '../../../../src/core/cache/expiring-cache.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ExpiringCache', () => {
  it('loads once, then answers from memory until the entry expires', async () => {
    vi.useFakeTimers();
    const cache = new ExpiringCache<string, number>(1_000, 10);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.getOrLoad('a', load)).toBe(1);
    expect(await cache.getOrLoad('a', load)).toBe(1);
    vi.advanceTimersByTime(1_001);
    expect(await cache.getOrLoad('a', load)).toBe(2);
  });

  it('never remembers a miss', async () => {
    const cache = new ExpiringCache<string, number>(1_000, 10);
    expect(await cache.getOrLoad('a', async () => undefined)).toBeUndefined();
    expect(await cache.getOrLoad('a', async () => 7)).toBe(7);
  });

  it('forgets what an invalidation picks, and drops a load that was in flight during one', async () => {
    const cache = new ExpiringCache<string, string>(60_000, 10);
    await cache.getOrLoad('keep', async () => 'k');
    await cache.getOrLoad('drop', async () => 'd');
    cache.invalidate((key) => key === 'drop');
    expect(cache.get('keep')).toBe('k');
    expect(cache.get('drop')).toBeUndefined();

    let finish!: (value: string) => void;
    const inFlight = cache.getOrLoad('late', () => new Promise<string>((resolve) => (finish = resolve)));
    cache.invalidate(() => false); // e.g. a removal committed while the load read the old state
    finish('stale');
    expect(await inFlight).toBe('stale'); // the caller still gets its answer...
    expect(cache.get('late')).toBeUndefined(); // ...but it is not kept
  });

  it('holds at most maxEntries, the oldest leaving first', async () => {
    const cache = new ExpiringCache<number, number>(60_000, 3);
    for (const key of [1, 2, 3, 4]) await cache.getOrLoad(key, async () => key);
    expect(cache.size).toBe(3);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(4)).toBe(4);
  });

  it('with a time limit of 0 loads every time and keeps nothing (several instances)', async () => {
    const cache = new ExpiringCache<string, number>(0, 10);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.getOrLoad('a', load)).toBe(1);
    expect(await cache.getOrLoad('a', load)).toBe(2);
    expect(cache.size).toBe(0);
  });
});
