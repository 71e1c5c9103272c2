/**
 * A small in-memory cache of facts the database confirmed, kept for a few seconds. It serves
 * the hot paths (every request authenticates; every send and history read checks membership)
 * without a query each time. Only confirmations are cached, never refusals, so a change that
 * grants access is seen at once; changes that take access away invalidate entries (the callers
 * listen to fan-out for them), and the time limit bounds what a lost invalidation can cost.
 */
export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  /** Bumped by every invalidation: a load that started before one must not store its result. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** The cached value, or what `load` finds (cached unless it is undefined or was invalidated meanwhile). */
  async getOrLoad(key: K, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && generation === this.generation && this.ttlMs > 0) this.set(key, value);
    return value;
  }

  /** Forgets every entry the predicate picks, and any load still in flight. */
  invalidate(picks: (key: K, value: V) => boolean): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (picks(key, entry.value)) this.entries.delete(key);
  }

  private set(key: K, value: V): void {
    this.entries.delete(key);
    // Oldest first out when full (a Map iterates in insertion order).
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }
}
