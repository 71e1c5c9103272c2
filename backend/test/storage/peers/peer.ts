/**
 * A peer: another instance on the same store, with its own connection (a SQLite connection in
 * another process, a PostgreSQL pool of its own), so that what peers do at the same time
 * really runs at the same time, as it would in a cluster.
 */
import type { StoreLocation } from '../store-location.js';
import type { OperationArgs, OperationName, OperationResult } from './peer-operations.js';

export interface Peer {
  /** Opens the store (closing the one opened before). */
  open(location: StoreLocation): Promise<void>;
  /** Runs an operation on the open store once the clock reaches `startAt` (epoch ms). */
  run<N extends OperationName>(
    startAt: number,
    name: N,
    ...args: OperationArgs<N>
  ): Promise<OperationResult<N>>;
  /** Closes the open store and ends the peer. */
  stop(): Promise<void>;
}

/** An operation failed in a peer; `code` is the database's error code when it gave one. */
export class PeerOperationError extends Error {
  override readonly name = 'PeerOperationError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** How long peers are given to receive an operation before they all start it. */
const START_MARGIN_MS = 100;

/** Runs one operation on every peer, all starting at the same moment; resolves when all are done. */
export function runTogether<T>(
  peers: Peer[],
  operation: (peer: Peer, index: number, startAt: number) => Promise<T>,
): Promise<T[]> {
  const startAt = Date.now() + START_MARGIN_MS;
  return Promise.all(peers.map((peer, index) => operation(peer, index, startAt)));
}
