/** The storage contract on real SQLite files; other instances are other processes on the same file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/storage/sqlite/open-sqlite.js';
import { describeDatabaseContract } from './contract/database.contract.js';
import { describeMultiWriterContract } from './contract/multi-writer.contract.js';
import type { StorageTarget } from './contract/storage-target.js';
import { describeMigrations } from './migrations/migrations.contract.js';
import { ChildProcessPeer } from './peers/child-process-peer.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-contract-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const sqlite: StorageTarget = {
  name: 'SQLite file',
  newStore: async () => ({ engine: 'sqlite', dataDir: fs.mkdtempSync(path.join(root, 'store-')) }),
  startPeer: () => ChildProcessPeer.start(),
};

describeDatabaseContract(sqlite);
describeMultiWriterContract(sqlite);
describeMigrations(sqlite);

describe('SQLite durability settings', () => {
  it('acknowledges a commit only once it is on disk (WAL, synchronous FULL, foreign keys on)', async () => {
    let settings: Record<string, unknown> = {};
    const db = await openSqlite(fs.mkdtempSync(path.join(root, 'settings-')), {
      onConfigured: (file: BetterSqlite3.Database) => {
        settings = {
          journalMode: file.pragma('journal_mode', { simple: true }),
          synchronous: file.pragma('synchronous', { simple: true }),
          foreignKeys: file.pragma('foreign_keys', { simple: true }),
        };
      },
    });
    await db.close();
    // synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. NORMAL in WAL mode can lose the last
    // commits on a power cut, after their 202 was sent.
    expect(settings).toEqual({ journalMode: 'wal', synchronous: 2, foreignKeys: 1 });
  });
});
