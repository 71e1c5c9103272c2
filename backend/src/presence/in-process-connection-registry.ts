/**
 * The connection registry of one process: each user's sockets in a map. It is also the Redis
 * registry's record of this instance's own sockets (what it refreshes, and how it answers while
 * Redis is unreachable).
 */
import type { ConnectionRegistry } from '../core/ports/connection-registry.js';

export class InProcessConnectionRegistry implements ConnectionRegistry {
  /** userId -> socketId -> online. */
  private readonly users = new Map<string, Map<string, boolean>>();

  async admit(userId: string, socketId: string, max: number): Promise<boolean> {
    return this.admitNow(userId, socketId, max);
  }

  async goOnline(userId: string, socketId: string): Promise<boolean> {
    return this.goOnlineNow(userId, socketId);
  }

  async release(userId: string, socketId: string): Promise<boolean> {
    return this.releaseNow(userId, socketId).last;
  }

  async onlineAmong(userIds: string[]): Promise<Set<string>> {
    return this.onlineAmongNow(userIds);
  }

  /** One process: its sockets die with it, and nobody is left to announce anything. */
  async wentOffline(): Promise<string[]> {
    return [];
  }

  async close(): Promise<void> {
    this.clear();
  }

  /** Synchronous, so that concurrent callers cannot interleave between the count and the add. */
  admitNow(userId: string, socketId: string, max: number): boolean {
    const sockets = this.users.get(userId);
    if (sockets?.has(socketId)) return true;
    if ((sockets?.size ?? 0) >= max) return false;
    if (sockets) sockets.set(socketId, false);
    else this.users.set(userId, new Map([[socketId, false]]));
    return true;
  }

  onlineAmongNow(userIds: string[]): Set<string> {
    return new Set(
      userIds.filter((userId) => {
        const sockets = this.users.get(userId);
        return sockets !== undefined && this.onlineCount(sockets) > 0;
      }),
    );
  }

  holds(userId: string, socketId: string): boolean {
    return this.users.get(userId)?.has(socketId) ?? false;
  }

  goOnlineNow(userId: string, socketId: string): boolean {
    const sockets = this.users.get(userId);
    if (sockets?.get(socketId) !== false) return false; // unknown (already released) or already online
    sockets.set(socketId, true);
    return this.onlineCount(sockets) === 1;
  }

  /** `wasOnline` as well as `last`: the Redis registry tells Redis what this instance knew. */
  releaseNow(userId: string, socketId: string): { wasOnline: boolean; last: boolean } {
    const sockets = this.users.get(userId);
    const wasOnline = sockets?.get(socketId);
    if (!sockets || wasOnline === undefined) return { wasOnline: false, last: false };
    sockets.delete(socketId);
    if (sockets.size === 0) this.users.delete(userId);
    return { wasOnline, last: wasOnline && this.onlineCount(sockets) === 0 };
  }

  /** Every socket held here, per user, with whether it is online. */
  entries(): IterableIterator<[userId: string, sockets: ReadonlyMap<string, boolean>]> {
    return this.users.entries();
  }

  clear(): void {
    this.users.clear();
  }

  private onlineCount(sockets: Map<string, boolean>): number {
    let count = 0;
    for (const online of sockets.values()) if (online) count++;
    return count;
  }
}
