import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter } from '../core/ports/rate-limiter.js';

/**
 * A per-key limit of `points` per `durationSeconds` shared by every instance: the count lives in
 * Redis under `keyPrefix` (one prefix per limiter). While Redis cannot be reached, each instance
 * counts in its own memory instead (rate-limiter-flexible's insurance limiter), so a Redis
 * outage neither blocks everyone nor lifts the limit.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, keyPrefix: string, points: number, durationSeconds: number) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      useRedisPackage: false, // ioredis, not node-redis
      keyPrefix,
      points,
      duration: durationSeconds,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
    });
  }

  async refund(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }

  async consume(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
    try {
      await this.limiter.consume(key);
      return { allowed: true };
    } catch (result) {
      if (result instanceof RateLimiterRes) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
      }
      throw result;
    }
  }
}
