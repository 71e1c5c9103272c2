/**
 * What the SQLite file must not be asked for needlessly (docs/performance.md, "Cost per
 * delivery by room size, round two"): a claim that finds nothing takes no write lock, and a
 * flush of a big room's delivery cursors is a few statements, not one per member.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/core/ports/database.js';
import { openSqlite } from '../../src/storage/sqlite/open-sqlite.js';
import { iso, jobRecord, seedMembers, seedRoom, userRecord } from './fixtures.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-economy-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Counts the runs of each statement by the start of its SQL. */
class StatementCounter {
  private readonly runs = new Map<string, number>();

  watch(file: BetterSqlite3.Database): void {
    const prepare = file.prepare.bind(file);
    file.prepare = ((sql: string) => {
      const statement = prepare(sql);
      for (const method of ['run', 'all', 'get'] as const) {
        const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
        (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          this.runs.set(sql, (this.runs.get(sql) ?? 0) + 1);
          return original(...args);
        };
      }
      return statement;
    }) as typeof file.prepare;
  }

  count(sqlStart: string): number {
    let total = 0;
    for (const [sql, runs] of this.runs) if (sql.startsWith(sqlStart)) total += runs;
    return total;
  }
}

describe('SQLite write economy', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('saves a flush of 1,000 members delivery cursors with a few statements', async () => {
    const counter = new StatementCounter();
    db = await openSqlite(fs.mkdtempSync(path.join(root, 'flush-')), {
      onConfigured: (file) => counter.watch(file),
    });
    const open = db;
    const author = userRecord();
    await open.users.insert(author);
    const roomId = await seedRoom(open, author);
    const members = await seedMembers(open, roomId, 1000);
    await open.transaction((tx) =>
      tx.memberships.advanceDelivered(members.map((member) => ({ roomId, userId: member.id, seq: 1 }))),
    );
    // 1,000 = 3 × 256 + 128 + 64 + 32 + 8: one statement per chunk.
    expect(counter.count('update "memberships" set "delivered_seq"')).toBeLessThanOrEqual(8);
    expect((await open.memberships.receiptsAt(roomId, 1, author.id)).delivered).toBe(1000);
  });

  it('claims nothing without waiting for another connection that holds the write lock', async () => {
    const dataDir = fs.mkdtempSync(path.join(root, 'claim-'));
    db = await openSqlite(dataDir);
    const open = db;
    const user = userRecord();
    await open.users.insert(user);
    const roomId = await seedRoom(open, user);
    await open.jobs.insert(jobRecord(user.id, roomId, { runAt: iso(60_000) })); // due later
    const other = new BetterSqlite3(path.join(dataDir, 'parley.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      // Nothing is due: a worker's look for jobs must read, not queue for the lock (busy
      // timeout 5 s, then SQLITE_BUSY) behind whoever is writing.
      expect(await open.jobs.claimNext(iso(), iso(60_000), ['file', 'message'])).toBeUndefined();
      expect(await open.jobs.claimDueBatch('message', iso(), 256, iso(60_000))).toEqual([]);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
});
