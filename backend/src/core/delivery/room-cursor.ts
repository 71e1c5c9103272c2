import type { RoomEvent } from '@parley/protocol';

/**
 * What one connection has sent of one room. Live events are sent only in seq order: an event
 * at or below `lastSent` is a duplicate and dropped; one above `lastSent + 1` means something
 * was missed (a fan-out packet lost or overtaken), so the gap is filled from the room log first.
 */
export class RoomCursor {
  /** While filling from the log, live events only raise `highestSeen`; the filler catches up. */
  filling = false;
  highestSeen: number;

  constructor(
    readonly roomId: string,
    public lastSent: number,
  ) {
    this.highestSeen = lastSent;
  }

  /** What to do with a live event: send it, ignore it (a duplicate, or a filler is running), or fill. */
  classify(event: RoomEvent): 'send' | 'ignore' | 'fill' {
    if (event.seq > this.highestSeen) this.highestSeen = event.seq;
    if (this.filling || event.seq <= this.lastSent) return 'ignore';
    return event.seq === this.lastSent + 1 ? 'send' : 'fill';
  }
}
