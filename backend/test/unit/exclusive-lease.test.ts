/**
 * The message-batches role: held by one instance at a time, renewed without a write per ask,
 * taken over once the holder's lease runs out, handed over at once on release. Two leases on
 * one real SQLite database stand for two instances; the clock moves only when told to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { ExclusiveLease } from '../../src/core/duties/exclusive-lease.js';
import type { Database } from '../../src/core/ports/database.js';
import { openSqlite } from '../../src/storage/sqlite/open-sqlite.js';

function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { nowMs: () => now, advance: (ms) => (now += ms) };
}

describe('an exclusive lease', () => {
  let db: Database;
  const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
  const lease = (holderId: string) =>
    new ExclusiveLease(db.duties, {
      name: 'message-batches',
      holderId,
      leaseMs: 10_000,
      retryMs: 1_000,
      clock,
    });

  beforeEach(async () => {
    db = await openSqlite(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-lease-')));
  });
  afterEach(() => db.close());

  it('is held by one instance at a time while the holder keeps asking', async () => {
    const a = lease('a');
    const b = lease('b');
    expect(await a.holds()).toBe(true);
    expect(await b.holds()).toBe(false);
    for (let second = 0; second < 60; second++) {
      clock.advance(1_000);
      expect(await a.holds()).toBe(true);
      expect(await b.holds()).toBe(false);
    }
  });

  it('passes to another instance once the holder stopped renewing for a whole lease', async () => {
    const a = lease('a');
    const b = lease('b');
    expect(await a.holds()).toBe(true);
    clock.advance(9_000);
    expect(await b.holds()).toBe(false);
    clock.advance(1_001);
    expect(await b.holds()).toBe(true);
    // The old holder learns it lost the role at its next renewal.
    expect(await a.holds()).toBe(false);
  });

  it('is handed over at once on release, to an instance that asks after its retry interval', async () => {
    const a = lease('a');
    const b = lease('b');
    expect(await a.holds()).toBe(true);
    expect(await b.holds()).toBe(false);
    await a.release();
    // b asked a moment ago: it does not ask the database again before retryMs.
    expect(await b.holds()).toBe(false);
    clock.advance(1_000);
    expect(await b.holds()).toBe(true);
  });
});
