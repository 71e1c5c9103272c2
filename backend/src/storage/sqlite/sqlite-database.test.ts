import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeDatabaseContract } from '../database.contract.js';
import { openSqlite } from './open-sqlite.js';

describeDatabaseContract('SQLite file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-contract-'));
  return openSqlite(dir);
});
