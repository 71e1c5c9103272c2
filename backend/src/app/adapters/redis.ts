/**
 * The Redis connection the adapters share when REDIS_URL is set: one command connection for the
 * rate limits, login throttles and the connection registry (the fan-out opens its own two, as a
 * subscribed connection can do nothing else). Opened once at start; closed by `stop()`.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../logging/logger.js';
import { openRedis } from '../../redis/redis-client.js';

/** Undefined when REDIS_URL is not set (everything stays in this process). */
export async function openSharedRedis(config: Config, log: Logger): Promise<Redis | undefined> {
  if (!config.redisUrl) return undefined;
  // Commands fail at once while Redis is away: each user has an answer of its own meanwhile
  // (the limiters count in memory, the registry counts this instance's sockets).
  return openRedis(config.redisUrl, {
    name: 'commands',
    log,
    queueWhileDisconnected: false,
    commandTimeout: true,
  });
}
