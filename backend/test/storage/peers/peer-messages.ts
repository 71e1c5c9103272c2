/** What a test and a peer process say to each other over the IPC channel. */
import type { StoreLocation } from '../store-location.js';

export type PeerCommand =
  | { kind: 'open'; location: StoreLocation }
  | { kind: 'run'; startAt: number; name: string; args: unknown[] }
  | { kind: 'stop' };

/** A command, numbered so that its reply can be matched to it. */
export type PeerRequest = PeerCommand & { id: number };

export type PeerReply =
  | { kind: 'ready' }
  | { kind: 'done'; id: number; result: unknown }
  | { kind: 'failed'; id: number; message: string; code: string | undefined };
