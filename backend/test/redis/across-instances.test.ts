/**
 * Two instances wired as parley.ts wires them, on one real Redis: presence counted over both
 * (a tab closed on one instance does not make its user offline while another is open), and a
 * job queued on one waking the other's worker.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Presence } from '../../src/core/delivery/presence.js';
import { wakeWorkersOnSubmit } from '../../src/core/jobs/wake-workers.js';
import type { FanOutMessage } from '../../src/core/ports/fan-out.js';
import { RedisFanOut } from '../../src/fanout/redis-fan-out.js';
import { createLogger } from '../../src/logging/logger.js';
import { RedisConnectionRegistry } from '../../src/presence/redis-connection-registry.js';
import { closeRedis, openRedis } from '../../src/redis/redis-client.js';
import { startRedisForTests } from '../support/redis.js';
import { waitFor } from './fan-out.contract.js';

const log = createLogger('silent');
const redis = await startRedisForTests('redis/across-instances.test.ts');
afterAll(() => redis?.stop());

describe.skipIf(!redis)('two instances on one Redis', () => {
  if (!redis) return;
  const url = redis.url;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function instance() {
    const connect = (name: string, queue: boolean) =>
      openRedis(url, { name, log, queueWhileDisconnected: queue, commandTimeout: !queue });
    const instanceId = randomUUID();
    const fanOut = await RedisFanOut.open(
      await connect('pub', true),
      await connect('sub', true),
      instanceId,
      log,
    );
    const commands: Redis = await connect('commands', false);
    const registry = new RedisConnectionRegistry(commands, log, { instanceId });
    closers.push(async () => {
      await fanOut.close();
      await registry.close();
      await closeRedis(commands);
    });
    const heard: FanOutMessage[] = [];
    fanOut.subscribe((message) => heard.push(message));
    const presenceOf = (userId: string) =>
      heard.flatMap((m) => (m.kind === 'presence' && m.userId === userId ? [m.status] : []));
    return { fanOut, presence: new Presence(registry, fanOut), presenceOf };
  }

  it('announces a user online once and offline only when their last socket anywhere closes', async () => {
    const a = await instance();
    const b = await instance();
    const user = randomUUID();
    expect(await a.presence.admit(user, '1', 20)).toBe(true);
    expect(await b.presence.admit(user, '1', 20)).toBe(true); // same local id, other instance
    await a.presence.connected(user, '1', ['r1']);
    await b.presence.connected(user, '1', ['r1']);
    await waitFor(() => b.presenceOf(user).length === 1);
    await a.presence.disconnected(user, '1', ['r1']); // one tab closed on A
    await b.presence.disconnected(user, '1', ['r1']); // the last one, on B
    for (const at of [a, b]) {
      await waitFor(() => at.presenceOf(user).length === 2);
      expect(at.presenceOf(user)).toEqual(['online', 'offline']);
    }
  });

  it("wakes the other instance's worker when a job is queued", async () => {
    const a = await instance();
    const b = await instance();
    const wakes = { a: 0, b: 0 };
    const jobsOnA = { onSubmitted: () => {} };
    wakeWorkersOnSubmit(jobsOnA, { wake: () => wakes.a++ }, a.fanOut);
    wakeWorkersOnSubmit({ onSubmitted: () => {} }, { wake: () => wakes.b++ }, b.fanOut);
    jobsOnA.onSubmitted();
    jobsOnA.onSubmitted(); // accepted in the same turn: one announcement
    await waitFor(() => wakes.a === 1 && wakes.b === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(wakes).toEqual({ a: 1, b: 1 });
  });
});
