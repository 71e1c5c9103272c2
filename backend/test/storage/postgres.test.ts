/**
 * The storage contract on a real PostgreSQL (a throwaway server for this file, a fresh database
 * for each test); other instances are other pools on the same database.
 */
import { afterAll, describe } from 'vitest';
import { startPostgresForTests } from '../support/postgres.js';
import { describeDatabaseContract } from './contract/database.contract.js';
import { describeMultiWriterContract } from './contract/multi-writer.contract.js';
import type { StorageTarget } from './contract/storage-target.js';
import { describeMigrations } from './migrations/migrations.contract.js';
import { InProcessPeer } from './peers/in-process-peer.js';

const server = await startPostgresForTests('storage/postgres.test.ts');
afterAll(() => server?.stop());

describe.skipIf(!server)('PostgreSQL', () => {
  if (!server) return;
  const postgres: StorageTarget = {
    name: 'PostgreSQL',
    newStore: async () => ({ engine: 'postgres', url: await server.createDatabase() }),
    startPeer: async () => new InProcessPeer(),
  };
  describeDatabaseContract(postgres);
  describeMultiWriterContract(postgres);
  describeMigrations(postgres);
});
