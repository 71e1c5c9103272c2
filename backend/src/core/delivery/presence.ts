/**
 * Presence and the per-user socket cap, counted over every instance (the ConnectionRegistry):
 * a user is online while at least one of their sockets anywhere has been sent `ready`. The
 * first such socket is announced online and the last one to close offline, to everyone who
 * shares a room with the user; closing a tab on one instance says nothing while the user is
 * still connected on another.
 */
import type { ConnectionRegistry } from '../ports/connection-registry.js';
import type { FanOut } from '../ports/fan-out.js';

export class Presence {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly fanOut: FanOut,
  ) {}

  /** Counts a new socket against the user's cap; false (and not counted) when it is full. */
  admit(userId: string, socketId: string, maxSocketsPerUser: number): Promise<boolean> {
    return this.registry.admit(userId, socketId, maxSocketsPerUser);
  }

  /** The socket was sent `ready`. */
  async connected(userId: string, socketId: string, roomIds: string[]): Promise<void> {
    if (await this.registry.goOnline(userId, socketId)) {
      this.fanOut.publish({ kind: 'presence', userId, status: 'online', roomIds });
    }
  }

  /**
   * Announces offline the users whose sockets were all on instances that died (nobody saw
   * them close); `roomsOf` names who is told.
   */
  async announceDeparted(roomsOf: (userId: string) => Promise<string[]>): Promise<number> {
    const departed = await this.registry.wentOffline();
    for (const userId of departed) {
      this.fanOut.publish({ kind: 'presence', userId, status: 'offline', roomIds: await roomsOf(userId) });
    }
    return departed.length;
  }

  /** The socket closed, whether it was started or not (it no longer counts against the cap). */
  async disconnected(userId: string, socketId: string, roomIds: string[]): Promise<void> {
    if (await this.registry.release(userId, socketId)) {
      this.fanOut.publish({ kind: 'presence', userId, status: 'offline', roomIds });
    }
  }
}
