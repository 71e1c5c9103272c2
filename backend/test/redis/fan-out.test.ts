/**
 * The fan-out contract on the in-process fan-out and on Redis pub/sub (a real redis-server for
 * this file; each "instance" is a RedisFanOut with its own connections and instance id), and
 * what only the Redis one can be asked: surviving a Redis restart, and ignoring its own echoes.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { FanOut } from '../../src/core/ports/fan-out.js';
import { InProcessFanOut } from '../../src/fanout/in-process-fan-out.js';
import { FAN_OUT_CHANNEL, RedisFanOut } from '../../src/fanout/redis-fan-out.js';
import { createLogger } from '../../src/logging/logger.js';
import { closeRedis, openRedis } from '../../src/redis/redis-client.js';
import { startRedisForTests } from '../support/redis.js';
import {
  describeFanOutContract,
  type FanOutTarget,
  recorder,
  roomEvent,
  waitFor,
} from './fan-out.contract.js';

const log = createLogger('silent');
const redis = await startRedisForTests('redis/fan-out.test.ts');
afterAll(() => redis?.stop());

let inProcess: InProcessFanOut | undefined;
describeFanOutContract({
  name: 'in-process',
  instance: async () => {
    inProcess ??= new InProcessFanOut();
    return inProcess;
  },
  closeAll: async () => {
    await inProcess?.close();
    inProcess = undefined;
  },
});

describe.skipIf(!redis)('Redis fan-out', () => {
  if (!redis) return;
  const opened = new Set<FanOut>();
  const openInstance = async (): Promise<RedisFanOut> => {
    const connect = (name: string) =>
      openRedis(redis.url, { name, log, queueWhileDisconnected: true, commandTimeout: false });
    const fanOut = await RedisFanOut.open(await connect('pub'), await connect('sub'), randomUUID(), log);
    opened.add(fanOut);
    return fanOut;
  };
  const closeAll = async () => {
    await Promise.all([...opened].map((fanOut) => fanOut.close()));
    opened.clear();
  };
  const target: FanOutTarget = { name: 'Redis pub/sub', instance: openInstance, closeAll };
  describeFanOutContract(target);

  describe('across instances', () => {
    afterEach(closeAll);

    it('does not deliver its own messages a second time when Redis echoes them back', async () => {
      const a = await openInstance();
      const b = await openInstance();
      const atA = recorder(a);
      const atB = recorder(b);
      a.publish(roomEvent('r1', 1));
      await atB.until(() => atB.received.length === 1);
      // b's reply comes through Redis after a's echo (one connection delivers in order).
      b.publish(roomEvent('reply', 1));
      await atA.until(() => atA.roomSeqs('reply').length === 1);
      expect(atA.roomSeqs('r1')).toEqual([1]);
    });

    it('flows again by itself after Redis restarts mid-traffic, and never throws meanwhile', async () => {
      const a = await openInstance();
      const b = await openInstance();
      const atB = recorder(b);
      let seq = 0;
      const traffic = setInterval(() => a.publish(roomEvent('r1', ++seq)), 10);
      try {
        await atB.until(() => atB.received.length >= 5);
        await redis.restart(300);
        const restartedAt = seq;
        // Everything published from a little after the restart arrives, in order.
        await atB.until(() => atB.roomSeqs('r1').some((s) => s > restartedAt + 10), 8000);
      } finally {
        clearInterval(traffic);
      }
      const seqs = atB.roomSeqs('r1');
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
      // And the other way round: b's subscriber and a's publisher came back too.
      const atA = recorder(a);
      b.publish(roomEvent('back', 1));
      await atA.until(() => atA.roomSeqs('back').length === 1, 8000);
    });

    it('ignores what is not one of its envelopes on the channel', async () => {
      const a = await openInstance();
      const atA = recorder(a);
      const raw: Redis = await openRedis(redis.url, {
        name: 'raw',
        log,
        queueWhileDisconnected: true,
        commandTimeout: false,
      });
      try {
        for (const text of [
          'not json',
          '{"v":2,"from":"x","message":{"kind":"jobs-queued"}}',
          '{"v":1}',
          '42',
        ]) {
          await raw.publish(FAN_OUT_CHANNEL, text);
        }
        await raw.publish(
          FAN_OUT_CHANNEL,
          JSON.stringify({ v: 1, from: 'other', message: { kind: 'jobs-queued' } }),
        );
        await waitFor(() => atA.received.length > 0);
        expect(atA.received).toEqual([{ kind: 'jobs-queued' }]);
      } finally {
        await closeRedis(raw);
      }
    });
  });
});
