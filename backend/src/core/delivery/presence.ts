/**
 * Presence: a user is online while at least one of their sockets is open. Told of each socket
 * that opens or closes, it announces the first and the last to everyone who shares a room.
 */
import type { FanOut } from '../ports/fan-out.js';

export class Presence {
  private readonly socketsOf = new Map<string, number>();

  constructor(private readonly fanOut: FanOut) {}

  connected(userId: string, roomIds: string[]): void {
    const count = (this.socketsOf.get(userId) ?? 0) + 1;
    this.socketsOf.set(userId, count);
    if (count === 1) this.fanOut.publish({ kind: 'presence', userId, status: 'online', roomIds });
  }

  disconnected(userId: string, roomIds: string[]): void {
    const count = (this.socketsOf.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.socketsOf.set(userId, count);
      return;
    }
    this.socketsOf.delete(userId);
    this.fanOut.publish({ kind: 'presence', userId, status: 'offline', roomIds });
  }
}
