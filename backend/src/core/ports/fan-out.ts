/**
 * Fan-out: how a committed change reaches the sockets that must see it, on this process and,
 * when scaled out, on every other one. It may lose a message: a lost room event is healed from
 * the room log (a connection fills the gap it sees, and resume on reconnect); the other kinds
 * are not healed by the log. In one process nothing is lost; across instances, what must happen
 * (closing a revoked session's sockets, cutting a removed member's flow) is also done by each
 * instance's periodic check of its sockets against the database (delivery/connection-recheck.ts).
 */
import type { RoomEvent, ServerFrame, UserRef } from '@parley/protocol';

export type FanOutMessage =
  /** A committed room event, for every socket of the room's members. */
  | { kind: 'room-event'; event: RoomEvent }
  /** A frame for every socket of one user (job status). */
  | { kind: 'user-frame'; userId: string; frame: ServerFrame }
  /** A frame for every socket in a room, optionally except one user's (typing). */
  | { kind: 'room-frame'; roomId: string; frame: ServerFrame; exceptUserId?: string }
  /** A session ended (logout, deactivation): close its sockets with 4001. */
  | { kind: 'session-ended'; sessionId: string }
  /** A user came online or went offline, for everyone who shares a room with them. */
  | { kind: 'presence'; userId: string; status: 'online' | 'offline' | 'away'; roomIds: string[] }
  /** A user joined or left a room: start or stop the flow on its live sockets. */
  | { kind: 'membership-changed'; userId: string; roomId: string; member: boolean; lastSeq: number }
  /**
   * A user's name or avatar changed: a `user.updated` frame, once, for every socket in any of
   * these rooms and every socket of the user. Not in the room log (see core/accounts/profiles-service.ts).
   */
  | { kind: 'profile-changed'; user: UserRef; roomIds: string[] }
  /** Jobs were queued: every instance's worker looks now instead of at its next poll. */
  | { kind: 'jobs-queued' };

export interface FanOut {
  /**
   * Never throws: a message that cannot be sent is lost (and logged). Listeners of this process
   * get it at once, in publish order; other processes get one publisher's messages in order.
   */
  publish(message: FanOutMessage): void;
  /**
   * Registers a listener for messages from every process, each exactly once; returns an
   * unsubscribe function. A listener ignores kinds it does not handle (a newer instance may send
   * kinds this one does not know).
   */
  subscribe(listener: (message: FanOutMessage) => void): () => void;
  close(): Promise<void>;
}
