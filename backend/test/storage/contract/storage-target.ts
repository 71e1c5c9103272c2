/** An engine the storage contract runs on, as each engine's test file describes it. */
import type { Peer } from '../peers/peer.js';
import type { StoreLocation } from '../store-location.js';

export interface StorageTarget {
  readonly name: string;
  /** A new, empty store: a fresh SQLite file, a fresh PostgreSQL database. */
  newStore(): Promise<StoreLocation>;
  /** Another instance with its own connections, able to run at the same time as the others. */
  startPeer(): Promise<Peer>;
}
