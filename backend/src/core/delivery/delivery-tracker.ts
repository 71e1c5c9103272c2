/**
 * Remembers how far each user's sockets were sent each room and writes it down in batches, so
 * delivery receipts cost one map update per sent event, not one database write.
 */
import type { Database } from '../ports/database.js';

export interface TrackerLogger {
  warn(obj: object, msg: string): void;
}

export class DeliveryTracker {
  /** userId → roomId → highest seq sent (nested maps: this runs once per socket per write). */
  private pending = new Map<string, Map<string, number>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly log: TrackerLogger,
  ) {}

  record(userId: string, roomId: string, seq: number): void {
    let rooms = this.pending.get(userId);
    if (!rooms) {
      rooms = new Map();
      this.pending.set(userId, rooms);
    }
    const known = rooms.get(roomId);
    if (known === undefined || known < seq) rooms.set(roomId, seq);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch: { roomId: string; userId: string; seq: number }[] = [];
    for (const [userId, rooms] of this.pending)
      for (const [roomId, seq] of rooms) batch.push({ roomId, userId, seq });
    this.pending = new Map();
    try {
      await this.db.transaction((tx) => tx.memberships.advanceDelivered(batch));
    } catch (error) {
      // Receipts are advisory: a lost batch only makes "delivered" lag until the next event.
      this.log.warn({ err: error, cursors: batch.length }, 'saving delivery cursors failed');
    }
  }
}
