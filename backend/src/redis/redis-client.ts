/**
 * Opening and closing ioredis connections the same way everywhere: connected (or failed) before
 * the server starts, reconnecting by themselves afterwards, with outages logged once each.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging/logger.js';

/** Reconnect delays grow by 100 ms a try up to 2 s: a restarted Redis is back in use within seconds. */
const MAX_RECONNECT_DELAY_MS = 2000;
/** A command that gets no answer in this time fails rather than holding up a request. */
export const COMMAND_TIMEOUT_MS = 2000;

export interface OpenRedisOptions {
  /** Shown in CLIENT LIST and in logs (`fan-out-publisher`, `commands`, …). */
  name: string;
  log: Logger;
  /**
   * True: commands issued while disconnected wait for the reconnection (in order). False: they
   * fail at once, for callers that have an answer of their own meanwhile (limiters, registry).
   */
  queueWhileDisconnected: boolean;
  /** Fail commands that get no answer in COMMAND_TIMEOUT_MS (not for a subscriber). */
  commandTimeout: boolean;
}

/** Connects to `url`; rejects (and stops trying) when the first connection fails. */
export async function openRedis(url: string, options: OpenRedisOptions): Promise<Redis> {
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    connectionName: `parley-${options.name}`,
    retryStrategy: (times) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS),
    enableOfflineQueue: options.queueWhileDisconnected,
    // Queued commands fail after this many reconnection attempts (about 5 s), so an outage
    // cannot pile up memory; a lost publish is healed by the room log.
    maxRetriesPerRequest: 10,
    ...(options.commandTimeout ? { commandTimeout: COMMAND_TIMEOUT_MS } : {}),
  };
  const client = new Redis(url, redisOptions);
  const log = options.log.child({ redis: options.name });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return; // once per outage: a reconnect loop fails every few hundred ms
    down = true;
    log.warn({ err: error }, 'redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({}, 'redis connection back');
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new RedisUnavailableError(`cannot connect to Redis (${options.name})`, { cause: error });
  }
  return client;
}

/** Closes politely when connected, at once otherwise (a QUIT would wait for a reconnection). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}
