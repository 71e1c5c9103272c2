/**
 * The unit of work: a transaction that also collects what it must tell the live sockets, and
 * publishes it only once the transaction has committed (as Zulip's `send_event_on_commit`).
 * A rolled-back transaction publishes nothing; a committed one cannot forget to publish. Room
 * events are collected by `appendEvent`, which only accepts a `Transaction`, so no use case can
 * append to a room's log without its event reaching fan-out.
 */
import type { Database, Repositories } from './ports/database.js';
import type { FanOut, FanOutMessage } from './ports/fan-out.js';

/** Attempts of a unit of work that keeps losing deadlocks before its error is let through. */
const MAX_ATTEMPTS = 3;

export interface Transaction extends Repositories {
  /** Published to fan-out, in this order, after the commit; dropped on rollback. */
  publishAfterCommit(message: FanOutMessage): void;
}

export class UnitOfWork {
  private readonly committedListeners: ((message: FanOutMessage) => void)[] = [];

  constructor(
    private readonly db: Database,
    private readonly fanOut: FanOut,
  ) {}

  /**
   * Runs `work` in a transaction and publishes what it collected once it commits. A transaction
   * the database rolled back to break a deadlock with another is run again (up to
   * `MAX_ATTEMPTS` in all), from the start, with what the failed attempt collected dropped:
   * `work` must do nothing outside the transaction, which is what a unit of work is for.
   */
  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const outbox: FanOutMessage[] = [];
      try {
        const result = await this.db.transaction((repositories) =>
          work({ ...repositories, publishAfterCommit: (message) => outbox.push(message) }),
        );
        for (const message of outbox) this.fanOut.publish(message);
        for (const message of outbox) for (const listener of this.committedListeners) listener(message);
        return result;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !this.db.isTransientConflict(error)) throw error;
      }
    }
  }

  /**
   * Hears what this instance's own commits published (never another instance's): work that
   * must happen once per committed change across a cluster, after the commit and outside the
   * request path (Web Push), is done by the instance that committed it. A listener must not
   * throw or wait: it queues its work.
   */
  onCommitted(listener: (message: FanOutMessage) => void): void {
    this.committedListeners.push(listener);
  }

  /** For messages that describe no committed change (typing, presence, a job's progress). */
  publishNow(message: FanOutMessage): void {
    this.fanOut.publish(message);
  }
}
