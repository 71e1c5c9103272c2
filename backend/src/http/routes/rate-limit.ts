import { rateLimited } from '../../core/errors.js';
import type { RateLimiter } from '../../core/ports/rate-limiter.js';

export async function rateLimitOrThrow(limiter: RateLimiter, key: string): Promise<void> {
  const verdict = await limiter.consume(key);
  if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds);
}
