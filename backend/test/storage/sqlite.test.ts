/** The storage contract on real SQLite files; other instances are other processes on the same file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
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
