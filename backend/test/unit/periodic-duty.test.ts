/**
 * A periodic duty runs on one instance of a cluster at a time: two duties of one name on one
 * real SQLite database stand for two instances.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { PeriodicDuty } from '../../src/core/duties/periodic-duty.js';
import type { Database } from '../../src/core/ports/database.js';
import { openSqlite } from '../../src/storage/sqlite/open-sqlite.js';

function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { nowMs: () => now, advance: (ms) => (now += ms) };
}

describe('a periodic duty', () => {
  let db: Database;
  const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
  const warnings: string[] = [];
  const log = { warn: (_: object, message: string) => warnings.push(message) };
  const runs: string[] = [];
  const duty = (holderId: string, task = async () => void runs.push(holderId)) =>
    new PeriodicDuty(db.duties, task, log, {
      name: 'sweep',
      holderId,
      everyMs: 60_000,
      firstAfterMs: 0,
      clock,
    });

  beforeEach(async () => {
    db = await openSqlite(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-duty-')));
    runs.length = 0;
    warnings.length = 0;
  });
  afterEach(() => db.close());

  it('runs on one instance per tick, the same one while it lives', async () => {
    const a = duty('a');
    const b = duty('b');
    for (let tick = 0; tick < 5; tick++) {
      expect(await a.tick()).toBe(true);
      expect(await b.tick()).toBe(false);
      clock.advance(60_000);
    }
    expect(runs).toEqual(['a', 'a', 'a', 'a', 'a']);
  });

  it('is taken over when its holder stops ticking for two periods, or at once after stop()', async () => {
    const a = duty('a');
    const b = duty('b');
    await a.tick();
    clock.advance(119_000);
    expect(await b.tick()).toBe(false);
    clock.advance(1_000);
    expect(await b.tick()).toBe(true);

    await b.stop();
    expect(await a.tick()).toBe(true);
    expect(runs).toEqual(['a', 'b', 'a']);
  });

  it('logs a failing task and keeps its place', async () => {
    const failing = duty('a', async () => {
      throw new Error('disk on fire');
    });
    expect(await failing.tick()).toBe(true);
    expect(warnings).toEqual(['a periodic duty failed']);
    expect(await duty('b').tick()).toBe(false);
  });
});
