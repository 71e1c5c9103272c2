/** Fan-out for the configuration: in-process by default; Redis pub/sub when REDIS_URL is set. */
import type { Config } from '../../config/config.js';
import type { FanOut } from '../../core/ports/fan-out.js';
import { InProcessFanOut } from '../../fanout/in-process-fan-out.js';
import { RedisFanOut } from '../../fanout/redis-fan-out.js';
import type { Logger } from '../../logging/logger.js';
import { closeRedis, openRedis } from '../../redis/redis-client.js';

/** `instanceId` tells this process's own messages from the others' when they come back. */
export async function openFanOut(config: Config, log: Logger, instanceId: string): Promise<FanOut> {
  if (!config.redisUrl) return new InProcessFanOut();
  const fanOutLog = log.child({ component: 'fan-out' });
  // Publishes made while Redis is briefly away wait for the reconnection, in order, rather
  // than being lost (for a few seconds at most: see openRedis).
  const publisher = await openRedis(config.redisUrl, {
    name: 'fan-out-publisher',
    log: fanOutLog,
    queueWhileDisconnected: true,
    commandTimeout: false,
  });
  let subscriber: Awaited<ReturnType<typeof openRedis>> | undefined;
  try {
    subscriber = await openRedis(config.redisUrl, {
      name: 'fan-out-subscriber',
      log: fanOutLog,
      queueWhileDisconnected: true,
      commandTimeout: false,
    });
    return await RedisFanOut.open(publisher, subscriber, instanceId, fanOutLog);
  } catch (error) {
    await Promise.all([closeRedis(publisher), subscriber && closeRedis(subscriber)]);
    throw error;
  }
}
