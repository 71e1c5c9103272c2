/**
 * A peer in this process with a database of its own. For PostgreSQL, where each peer's own pool
 * of connections makes the server run their statements at the same time. (Not for SQLite:
 * better-sqlite3 is synchronous, so two connections in one thread can never interleave.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../../src/core/ports/database.js';
import { openStore, type StoreLocation } from '../store-location.js';
import type { Peer } from './peer.js';
import {
  type OperationArgs,
  type OperationName,
  type OperationResult,
  peerOperations,
} from './peer-operations.js';

export class InProcessPeer implements Peer {
  private db: Database | undefined;

  async open(location: StoreLocation): Promise<void> {
    await this.db?.close();
    this.db = undefined;
    this.db = await openStore(location);
  }

  async run<N extends OperationName>(
    startAt: number,
    name: N,
    ...args: OperationArgs<N>
  ): Promise<OperationResult<N>> {
    const db = this.db;
    if (!db) throw new Error('the peer has no open store');
    await sleep(Math.max(0, startAt - Date.now()));
    const operation = peerOperations[name] as (
      db: Database,
      ...rest: unknown[]
    ) => Promise<OperationResult<N>>;
    return operation(db, ...args);
  }

  async stop(): Promise<void> {
    await this.db?.close();
    this.db = undefined;
  }
}
