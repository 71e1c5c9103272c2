/**
 * Rate limits and login throttles for the configuration: counted in this process by default;
 * in Redis, shared by every instance, when REDIS_URL is set.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../../config/config.js';
import {
  type FailureLimiter,
  neverBlocked,
  type RateLimiter,
  unlimited,
} from '../../core/ports/rate-limiter.js';
import { MemoryFailureLimiter } from '../../security/memory-failure-limiter.js';
import { MemoryRateLimiter } from '../../security/memory-rate-limiter.js';
import { RedisFailureLimiter } from '../../security/redis-failure-limiter.js';
import { RedisRateLimiter } from '../../security/redis-rate-limiter.js';

export interface Limits {
  /** RATE_LIMIT_SENDS_PER_MINUTE per user. */
  sends: RateLimiter;
  /** REGISTRATIONS_PER_HOUR_PER_ADDRESS per client address. */
  registrationsPerAddress: RateLimiter;
  /** RATE_LIMIT_PROFILE_CHANGES_PER_HOUR per user. */
  profileChanges: RateLimiter;
  /** LOGIN_MAX_FAILURES per username, and ten times that per client address, within 15 minutes. */
  loginFailures: { perUsername: FailureLimiter; perAddress: FailureLimiter };
}

const LOGIN_WINDOW_SECONDS = 15 * 60;

/** `redis`: the shared command connection when REDIS_URL is set (see redis.ts). */
export function openLimits(config: Config, redis: Redis | undefined): Limits {
  // One key prefix per limiter: they count different things under the same kind of key.
  const limiter = (name: string, points: number, windowSeconds: number): RateLimiter => {
    if (points <= 0) return unlimited;
    return redis
      ? new RedisRateLimiter(redis, `parley:limit:${name}`, points, windowSeconds)
      : new MemoryRateLimiter(points, windowSeconds);
  };
  const failures = (name: string, points: number): FailureLimiter => {
    if (config.loginMaxFailures <= 0) return neverBlocked;
    return redis
      ? new RedisFailureLimiter(redis, `parley:login-failures:${name}`, points, LOGIN_WINDOW_SECONDS)
      : new MemoryFailureLimiter(points, LOGIN_WINDOW_SECONDS);
  };
  return {
    sends: limiter('sends', config.rateLimitSendsPerMinute, 60),
    registrationsPerAddress: limiter('registrations', config.registrationsPerHourPerAddress, 3600),
    profileChanges: limiter('profile-changes', config.rateLimitProfileChangesPerHour, 3600),
    loginFailures: {
      perUsername: failures('username', config.loginMaxFailures),
      perAddress: failures('address', config.loginMaxFailures * 10),
    },
  };
}
