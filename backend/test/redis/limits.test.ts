/**
 * Rate limits and login throttles, in memory and in Redis (a real redis-server for this file),
 * with the same expectations; in Redis, two instances (two connections) share every count.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openLimits } from '../../src/app/adapters/limits.js';
import { loadConfig } from '../../src/config/config.js';
import type { FailureLimiter, RateLimiter } from '../../src/core/ports/rate-limiter.js';
import { createLogger } from '../../src/logging/logger.js';
import { closeRedis, openRedis } from '../../src/redis/redis-client.js';
import { MemoryFailureLimiter } from '../../src/security/memory-failure-limiter.js';
import { MemoryRateLimiter } from '../../src/security/memory-rate-limiter.js';
import { RedisFailureLimiter } from '../../src/security/redis-failure-limiter.js';
import { RedisRateLimiter } from '../../src/security/redis-rate-limiter.js';
import { startRedisForTests } from '../support/redis.js';

const log = createLogger('silent');
const redis = await startRedisForTests('redis/limits.test.ts');
afterAll(() => redis?.stop());

interface LimitsTarget {
  name: string;
  /** The limiter of a new instance; instances of one `prefix` share their counts. */
  rateLimiter(prefix: string, points: number, windowSeconds: number): Promise<RateLimiter>;
  failureLimiter(prefix: string, maxFailures: number, windowSeconds: number): Promise<FailureLimiter>;
}

function describeLimitsContract(target: LimitsTarget): void {
  describe(`limits contract: ${target.name}`, () => {
    it('allows `points` per window, then says how long to wait; a refund gives one back', async () => {
      const limiter = await target.rateLimiter(randomUUID(), 3, 60);
      for (let i = 0; i < 3; i++) expect(await limiter.consume('ann')).toEqual({ allowed: true });
      const refused = await limiter.consume('ann');
      expect(refused.allowed).toBe(false);
      if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect(await limiter.consume('bo')).toEqual({ allowed: true }); // per key
      await limiter.refund('ann');
      await limiter.refund('ann');
      expect(await limiter.consume('ann')).toEqual({ allowed: true });
    });

    it('starts a new window when the old one is over', async () => {
      const limiter = await target.rateLimiter(randomUUID(), 1, 1);
      expect((await limiter.consume('ann')).allowed).toBe(true);
      expect((await limiter.consume('ann')).allowed).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await limiter.consume('ann')).allowed).toBe(true);
    });

    it('blocks a key after `maxFailures` failures, for what is left of the window', async () => {
      const failures = await target.failureLimiter(randomUUID(), 2, 900);
      expect(await failures.blockedFor('ann')).toBe(0);
      await failures.recordFailure('ann');
      expect(await failures.blockedFor('ann')).toBe(0);
      await failures.recordFailure('ann');
      const blocked = await failures.blockedFor('ann');
      expect(blocked).toBeGreaterThan(890);
      expect(blocked).toBeLessThanOrEqual(900);
      expect(await failures.blockedFor('bo')).toBe(0);
    });
  });
}

describeLimitsContract({
  name: 'in memory',
  rateLimiter: async (_prefix, points, windowSeconds) => new MemoryRateLimiter(points, windowSeconds),
  failureLimiter: async (_prefix, maxFailures, windowSeconds) =>
    new MemoryFailureLimiter(maxFailures, windowSeconds),
});

describe.skipIf(!redis)('Redis limits', () => {
  if (!redis) return;
  const clients: Redis[] = [];
  /** A command connection as each instance opens it (app/adapters/redis.ts). */
  const connect = async () => {
    const client = await openRedis(redis.url, {
      name: 'commands',
      log,
      queueWhileDisconnected: false,
      commandTimeout: true,
    });
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(closeRedis));
  });

  describeLimitsContract({
    name: 'Redis',
    rateLimiter: async (prefix, points, windowSeconds) =>
      new RedisRateLimiter(await connect(), prefix, points, windowSeconds),
    failureLimiter: async (prefix, maxFailures, windowSeconds) =>
      new RedisFailureLimiter(await connect(), prefix, maxFailures, windowSeconds),
  });

  it('shares a limit of N per window across two instances', async () => {
    const prefix = randomUUID();
    const a = new RedisRateLimiter(await connect(), prefix, 10, 60);
    const b = new RedisRateLimiter(await connect(), prefix, 10, 60);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).consume('ann')),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(10);
  });

  it('counts login failures from every instance together', async () => {
    const prefix = randomUUID();
    const a = new RedisFailureLimiter(await connect(), prefix, 4, 900);
    const b = new RedisFailureLimiter(await connect(), prefix, 4, 900);
    await Promise.all([a.recordFailure('ann'), b.recordFailure('ann'), a.recordFailure('ann')]);
    expect(await b.blockedFor('ann')).toBe(0);
    await b.recordFailure('ann');
    expect(await a.blockedFor('ann')).toBeGreaterThan(0);
  });

  it('keeps each limiter of openLimits under its own prefix', async () => {
    const config = loadConfig({
      REDIS_URL: redis.url,
      RATE_LIMIT_SENDS_PER_MINUTE: '1',
      REGISTRATIONS_PER_HOUR_PER_ADDRESS: '1',
      LOGIN_MAX_FAILURES: '1',
    });
    const limits = openLimits(config, await connect());
    const key = randomUUID(); // the same key in every limiter
    expect((await limits.sends.consume(key)).allowed).toBe(true);
    expect((await limits.registrationsPerAddress.consume(key)).allowed).toBe(true);
    await limits.loginFailures.perUsername.recordFailure(key);
    expect(await limits.loginFailures.perUsername.blockedFor(key)).toBeGreaterThan(0);
    expect(await limits.loginFailures.perAddress.blockedFor(key)).toBe(0); // 10 allowed per address
    expect((await limits.sends.consume(key)).allowed).toBe(false);
  });

  it('counts in memory while Redis cannot be reached, rather than failing or letting all through', async () => {
    const client = await connect();
    const limiter = new RedisRateLimiter(client, randomUUID(), 2, 60);
    const failures = new RedisFailureLimiter(client, randomUUID(), 1, 900);
    client.disconnect(); // every command now fails at once
    expect((await limiter.consume('ann')).allowed).toBe(true);
    expect((await limiter.consume('ann')).allowed).toBe(true);
    expect((await limiter.consume('ann')).allowed).toBe(false);
    await failures.recordFailure('ann');
    expect(await failures.blockedFor('ann')).toBeGreaterThan(0);
  });
});
