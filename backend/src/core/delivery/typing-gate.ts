/**
 * Coalesces typing: at most one `typing` frame per typist per room per interval passes. A
 * client may send `typing` on every keystroke and a user may type in several tabs; in a room
 * of 1,000 members each frame that passes costs 1,000 writes, so the hub lets through only
 * the first of each interval and drops the rest (the indicator it feeds lasts seconds).
 *
 * Kept per process, on the receiving side: every instance gates what it delivers to its own
 * sockets, so the bound holds per socket however many instances or tabs the typist has.
 */
export class TypingGate {
  /** `roomId:userId` -> when its last frame passed (ms). */
  private readonly passed = new Map<string, number>();

  constructor(
    private readonly intervalMs = 1000,
    /** Entries above this are swept of the stale ones, so the map stays small. */
    private readonly sweepAbove = 10_000,
  ) {}

  /** True when this typist's frame for this room may go out now (and counts it). */
  pass(roomId: string, userId: string, nowMs: number): boolean {
    const key = `${roomId}:${userId}`;
    const last = this.passed.get(key);
    if (last !== undefined && nowMs - last < this.intervalMs) return false;
    this.passed.set(key, nowMs);
    if (this.passed.size > this.sweepAbove) this.sweep(nowMs);
    return true;
  }

  private sweep(nowMs: number): void {
    for (const [key, at] of this.passed) if (nowMs - at >= this.intervalMs) this.passed.delete(key);
  }
}
