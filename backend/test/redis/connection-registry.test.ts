/**
 * The connection registry contract in one process and in Redis (a real redis-server for this
 * file; each "instance" is a RedisConnectionRegistry with its own connection and instance id),
 * and what only the Redis one can be asked: entries of an instance that died expire, live ones
 * are refreshed (also back into a Redis that lost them), and an unreachable Redis still answers.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { InProcessConnectionRegistry } from '../../src/presence/in-process-connection-registry.js';
import {
  RedisConnectionRegistry,
  type RedisConnectionRegistryOptions,
} from '../../src/presence/redis-connection-registry.js';
import { closeRedis, openRedis } from '../../src/redis/redis-client.js';
import { startRedisForTests } from '../support/redis.js';
import { describeConnectionRegistryContract, newUser } from './connection-registry.contract.js';

const log = createLogger('silent');
const redis = await startRedisForTests('redis/connection-registry.test.ts');
afterAll(() => redis?.stop());

let inProcess: InProcessConnectionRegistry | undefined;
describeConnectionRegistryContract({
  name: 'in-process',
  instance: async () => {
    inProcess ??= new InProcessConnectionRegistry();
    return inProcess;
  },
  closeAll: async () => {
    await inProcess?.close();
    inProcess = undefined;
  },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!redis)('Redis connection registry', () => {
  if (!redis) return;
  const opened: { registry: RedisConnectionRegistry; client: Redis }[] = [];
  const openInstance = async (
    options: Partial<RedisConnectionRegistryOptions> = {},
  ): Promise<RedisConnectionRegistry> => {
    const client = await openRedis(redis.url, {
      name: 'commands',
      log,
      queueWhileDisconnected: false,
      commandTimeout: true,
    });
    const registry = new RedisConnectionRegistry(client, log, { instanceId: randomUUID(), ...options });
    opened.push({ registry, client });
    return registry;
  };
  const closeAll = async () => {
    for (const { registry, client } of opened.splice(0)) {
      await registry.close();
      await closeRedis(client);
    }
  };
  describeConnectionRegistryContract({ name: 'Redis', instance: () => openInstance(), closeAll });

  describe('across instances', () => {
    afterEach(closeAll);

    it("stops counting a dead instance's sockets once they expire, and keeps counting live ones", async () => {
      const live = await openInstance({ ttlMs: 400, refreshMs: 100 });
      // Never refreshes within the test: as if killed (kill -9) right after admitting.
      const dying = await openInstance({ ttlMs: 400, refreshMs: 60_000 });
      const user = newUser();
      expect(await live.admit(user, 'kept', 3)).toBe(true);
      expect(await dying.admit(user, 'gone-1', 3)).toBe(true);
      expect(await dying.admit(user, 'gone-2', 3)).toBe(true);
      expect(await live.admit(user, 'refused', 3)).toBe(false);
      await sleep(900); // well past the TTL; `live` refreshed its own socket meanwhile
      expect(await live.admit(user, 'now-1', 3)).toBe(true);
      expect(await live.admit(user, 'now-2', 3)).toBe(true);
      // 'kept' still counts: it was refreshed.
      expect(await live.admit(user, 'now-3', 3)).toBe(false);
    });

    it('hands a user whose sockets all died with their instance to one sweeper, once', async () => {
      const live = await openInstance({ ttlMs: 400, refreshMs: 100 });
      const dying = await openInstance({ ttlMs: 400, refreshMs: 60_000 });
      const [stranded, stillHere, closedNormally] = [newUser(), newUser(), newUser()];
      for (const [registry, user, socket] of [
        [dying, stranded, 's1'],
        [dying, stranded, 's2'],
        [dying, stillHere, 'h1'],
        [live, stillHere, 'h2'],
        [dying, closedNormally, 'c1'],
      ] as const) {
        expect(await registry.admit(user, socket, 20)).toBe(true);
        await registry.goOnline(user, socket);
      }
      // Closed the normal way: announced by its release, never again by a sweep.
      expect(await dying.release(closedNormally, 'c1')).toBe(true);
      expect(await live.wentOffline()).toEqual([]);
      await sleep(900); // past the TTL: `dying` never refreshed, `live` did
      // Two instances sweep at once: the stranded user goes to exactly one of them.
      const swept = await Promise.all([live.wentOffline(), dying.wentOffline(), live.wentOffline()]);
      expect(swept.flat()).toEqual([stranded]);
      expect(await live.wentOffline()).toEqual([]);
      // Still online on the live instance: their last socket's release announces them.
      expect(await live.release(stillHere, 'h2')).toBe(true);
      expect(await live.wentOffline()).toEqual([]);
    });

    it('puts its sockets back after Redis lost them (a restart without persistence)', async () => {
      const a = await openInstance({ refreshMs: 100 });
      const b = await openInstance({ refreshMs: 100 });
      const user = newUser();
      expect(await a.admit(user, 'held', 1)).toBe(true);
      expect(await a.goOnline(user, 'held')).toBe(true);
      await redis.restart();
      // Once reconnected and refreshed, the socket counts again on every instance.
      const deadline = Date.now() + 8000;
      let refused = false;
      while (!refused && Date.now() < deadline) {
        await sleep(100);
        refused = !(await b.admit(user, 'other', 1));
        if (!refused) await b.release(user, 'other');
      }
      expect(refused).toBe(true);
      expect(await a.release(user, 'held')).toBe(true);
    });

    it('answers from its own sockets while Redis cannot be reached', async () => {
      const client = await openRedis(redis.url, {
        name: 'commands',
        log,
        queueWhileDisconnected: false,
        commandTimeout: true,
      });
      const registry = new RedisConnectionRegistry(client, log, { instanceId: randomUUID() });
      opened.push({ registry, client });
      client.disconnect(); // as if Redis were gone: every command fails at once
      const user = newUser();
      expect(await registry.admit(user, 's1', 2)).toBe(true);
      expect(await registry.admit(user, 's2', 2)).toBe(true);
      expect(await registry.admit(user, 's3', 2)).toBe(false);
      expect(await registry.goOnline(user, 's1')).toBe(true);
      expect(await registry.goOnline(user, 's2')).toBe(false);
      expect(await registry.release(user, 's1')).toBe(false);
      expect(await registry.release(user, 's2')).toBe(true);
    });
  });
});
