import { describe, expect, it } from 'vitest';
import { KeyedTurns } from '../../../../src/core/jobs/keyed-turns.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('KeyedTurns', () => {
  it('runs work on one key one after the other, and work on other keys alongside', async () => {
    const turns = new KeyedTurns();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      turns.run('a', job('a1')),
      turns.run('a', job('a2')),
      turns.run('b', job('b1')),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });

  it('lets the next one run after a failure, and gives each caller its own outcome', async () => {
    const turns = new KeyedTurns();
    const first = turns.run('k', async () => {
      await tick();
      throw new Error('refused');
    });
    const second = turns.run('k', async () => 'done');
    await expect(first).rejects.toThrow('refused');
    await expect(second).resolves.toBe('done');
  });
});
