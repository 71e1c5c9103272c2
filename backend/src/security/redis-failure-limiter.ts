import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { FailureLimiter } from '../core/ports/rate-limiter.js';

/**
 * At most `maxFailures` per key within `windowSeconds`, counted by every instance together in
 * Redis under `keyPrefix`, so a password guesser gains nothing by spreading attempts over
 * instances. While Redis cannot be reached each instance counts in memory (insurance limiter).
 */
export class RedisFailureLimiter implements FailureLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    keyPrefix: string,
    private readonly maxFailures: number,
    windowSeconds: number,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      useRedisPackage: false, // ioredis, not node-redis
      keyPrefix,
      points: maxFailures,
      duration: windowSeconds,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points: maxFailures, duration: windowSeconds }),
    });
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
