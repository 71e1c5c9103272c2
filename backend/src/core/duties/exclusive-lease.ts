/**
 * A role that one instance of a cluster plays at a time, asked for often (every claim loop of
 * the job worker), so it must not cost a database write each time: the holder renews its lease
 * only once half of it has passed, and an instance that does not hold it asks the database again
 * at most every `retryMs`. If the holder dies, another instance takes the role over within
 * about `leaseMs + retryMs`; on a clean shutdown `release` hands it over at once.
 *
 * The role must be one whose double holding (clock skew between instances, a holder stalled
 * past its lease) costs only efficiency or order, never correctness: the work it guards keeps
 * its own guards.
 */
import { type Clock, isoAt, systemClock } from '../clock.js';
import type { DutiesRepository } from '../ports/database.js';

export interface ExclusiveLeaseOptions {
  name: string;
  holderId: string;
  leaseMs: number;
  retryMs: number;
  clock?: Clock;
}

export class ExclusiveLease {
  private heldUntilMs = 0;
  private lastTriedMs = Number.NEGATIVE_INFINITY;
  private readonly clock: Clock;

  constructor(
    private readonly duties: DutiesRepository,
    private readonly options: ExclusiveLeaseOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** True when this instance holds the role now (taking or renewing it when due). */
  async holds(): Promise<boolean> {
    const now = this.clock.nowMs();
    const { leaseMs, retryMs, name, holderId } = this.options;
    if (this.heldUntilMs - now > leaseMs / 2) return true;
    if (this.heldUntilMs <= now && now - this.lastTriedMs < retryMs) return false;
    this.lastTriedMs = now;
    const held = await this.duties.tryAcquire(name, holderId, isoAt(this.clock), isoAt(this.clock, leaseMs));
    this.heldUntilMs = held ? now + leaseMs : 0;
    return held;
  }

  /** Gives the role up (clean shutdown), so another instance can take it at once. */
  async release(): Promise<void> {
    if (this.heldUntilMs === 0) return;
    this.heldUntilMs = 0;
    await this.duties.release(this.options.name, this.options.holderId);
  }
}
