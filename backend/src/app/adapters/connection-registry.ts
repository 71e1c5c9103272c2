/**
 * Where each user's sockets are counted (the per-user cap, presence): in this process by
 * default; in Redis, across every instance, when REDIS_URL is set.
 */
import type { Redis } from 'ioredis';
import type { ConnectionRegistry } from '../../core/ports/connection-registry.js';
import type { Logger } from '../../logging/logger.js';
import { InProcessConnectionRegistry } from '../../presence/in-process-connection-registry.js';
import { RedisConnectionRegistry } from '../../presence/redis-connection-registry.js';

/** `redis`: the shared command connection (redis.ts), undefined without REDIS_URL. */
export function openConnectionRegistry(
  redis: Redis | undefined,
  log: Logger,
  instanceId: string,
): ConnectionRegistry {
  if (!redis) return new InProcessConnectionRegistry();
  return new RedisConnectionRegistry(redis, log.child({ component: 'connection-registry' }), { instanceId });
}
