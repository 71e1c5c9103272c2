/** WebSocket frames the server sends. */
import type { ErrorCode, FrameErrorCode } from './errors.js';
import type { Job, RoomEvent, User, UserRef } from './models.js';

export type ServerFrame =
  | {
      type: 'ready';
      user: User;
      rooms: { roomId: string; lastSeq: number }[];
      heartbeatMs: number;
      /** An opaque id of the server process holding the connection (the same for all of its). */
      instance?: string;
    }
  | { type: 'event'; event: RoomEvent }
  | { type: 'job'; job: Job }
  | { type: 'typing'; roomId: string; user: UserRef }
  /** `away` (an extension): connected, but every socket's client reported its user inactive. */
  | { type: 'presence'; userId: string; status: 'online' | 'offline' | 'away' }
  /** Someone who shares a room with the caller (or the caller) changed name or avatar. */
  | { type: 'user.updated'; user: UserRef }
  | { type: 'sent'; ref: string; job: Job }
  | { type: 'error'; code: ErrorCode | FrameErrorCode; message: string; ref?: string }
  | { type: 'pong'; ref?: string };
