/**
 * A task that runs every so often once per cluster, not once per instance (sweeping orphaned
 * blobs, forgetting old idempotency keys). At each tick an instance tries to take or renew the
 * duty's lease in the database; only the holder runs the task. The lease outlasts two ticks, so
 * the holder keeps it while it lives, and another instance takes over within about two ticks
 * after it dies (at once after a clean shutdown, which gives the lease back).
 */
import { type Clock, isoAt, systemClock } from '../clock.js';
import type { DutiesRepository } from '../ports/database.js';

export interface DutyLogger {
  warn(obj: object, msg: string): void;
}

export interface PeriodicDutyOptions {
  /** The duty's name, the same on every instance. */
  name: string;
  /** This instance's id (unique per process). */
  holderId: string;
  everyMs: number;
  /** Delay before the first tick (0: at once). */
  firstAfterMs: number;
  clock?: Clock;
}

export class PeriodicDuty {
  private firstTimer: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly duties: DutiesRepository,
    private readonly task: () => Promise<void>,
    private readonly log: DutyLogger,
    private readonly options: PeriodicDutyOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    this.firstTimer = setTimeout(() => {
      void this.tick();
      this.timer = setInterval(() => void this.tick(), this.options.everyMs);
      this.timer.unref();
    }, this.options.firstAfterMs);
    this.firstTimer.unref();
  }

  /** Runs the task now if this instance holds (or can take) the duty; false when another does. */
  async tick(): Promise<boolean> {
    if (this.running) return true; // The previous run is still going: it holds the lease.
    const { name, holderId, everyMs } = this.options;
    let held: boolean;
    try {
      held = await this.duties.tryAcquire(name, holderId, isoAt(this.clock), isoAt(this.clock, 2 * everyMs));
    } catch (error) {
      this.log.warn({ err: error, duty: name }, 'could not take a periodic duty');
      return false;
    }
    if (!held) return false;
    this.running = this.task()
      .catch((error: unknown) => this.log.warn({ err: error, duty: name }, 'a periodic duty failed'))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
    return true;
  }

  /** Stops ticking, waits for a run in progress, and gives the lease back. */
  async stop(): Promise<void> {
    clearTimeout(this.firstTimer);
    clearInterval(this.timer);
    await this.running;
    try {
      await this.duties.release(this.options.name, this.options.holderId);
    } catch (error) {
      this.log.warn({ err: error, duty: this.options.name }, 'could not give a periodic duty back');
    }
  }
}
