import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter } from '../core/ports/rate-limiter.js';

/** A per-key limit of `points` per `durationSeconds`, kept in this process. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(points: number, durationSeconds: number) {
    this.limiter = new RateLimiterMemory({ points, duration: durationSeconds });
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
        return { allowed: false, retryAfterSeconds: Math.ceil(result.msBeforeNext / 1000) };
      }
      throw result;
    }
  }
}
