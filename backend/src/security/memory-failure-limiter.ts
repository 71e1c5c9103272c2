import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { FailureLimiter } from '../core/ports/rate-limiter.js';

/** At most `maxFailures` per key within `windowSeconds`, kept in this process. */
export class MemoryFailureLimiter implements FailureLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(
    private readonly maxFailures: number,
    windowSeconds: number,
  ) {
    this.limiter = new RateLimiterMemory({ points: maxFailures, duration: windowSeconds });
  }

  async blockedFor(key: string): Promise<number> {
    const state = await this.limiter.get(key);
    if (!state || state.consumedPoints < this.maxFailures) return 0;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  async recordFailure(key: string): Promise<void> {
    await this.limiter.penalty(key, 1);
  }
}
