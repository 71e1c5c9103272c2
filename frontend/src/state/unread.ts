/**
 * Unread messages per room, counted by seq so that the same message is never counted twice
 * (a live event and the catch-up of `/events` may both bring it). Only seqs above the room's
 * floor count: the server's ack cursor, the seq at which one joined, or where one last read.
 */
export class UnreadLedger {
  private readonly rooms = new Map<string, { floor: number; seqs: Set<number> }>();

  /** Raises the floor (never lowers it) and forgets the seqs at or below it. */
  raiseFloor(roomId: string, seq: number): void {
    const room = this.room(roomId);
    if (seq <= room.floor) return;
    room.floor = seq;
    for (const counted of room.seqs) if (counted <= seq) room.seqs.delete(counted);
  }

  /** Counts a message seq; false when it is at or below the floor or already counted. */
  add(roomId: string, seq: number): boolean {
    const room = this.room(roomId);
    if (seq <= room.floor || room.seqs.has(seq)) return false;
    room.seqs.add(seq);
    return true;
  }

  count(roomId: string): number {
    return this.rooms.get(roomId)?.seqs.size ?? 0;
  }

  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }

  private room(roomId: string) {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = { floor: 0, seqs: new Set() };
      this.rooms.set(roomId, room);
    }
    return room;
  }
}
