/**
 * Fan-out across instances over Redis pub/sub: one channel, one JSON envelope per message, a
 * publisher connection and a subscriber connection (a subscribed connection can do nothing else).
 *
 * A message is delivered to this process's listeners at once, synchronously, then published;
 * the copy that comes back from Redis is recognised by its sender's instance id and dropped.
 * Delivering only what comes back from Redis would be simpler, but then this instance would
 * stop seeing its own changes whenever Redis is down, and a use case that just committed could
 * not rely on its own caches being invalidated when it returns (membership, sessions). Order is
 * kept per publisher: local listeners get messages in publish order, and Redis delivers one
 * connection's PUBLISHes in the order they were sent, so every other instance gets them in that
 * order too. Messages of different instances interleave in any order, as they would anyway.
 *
 * Nothing here throws at a publisher: a message Redis cannot take is lost, with one warning per
 * outage; room events are healed from the room log. ioredis reconnects both connections and
 * subscribes again by itself after a Redis restart; what was published meanwhile is lost.
 */
import type { Redis } from 'ioredis';
import type { FanOut, FanOutMessage } from '../core/ports/fan-out.js';
import type { Logger } from '../logging/logger.js';
import { closeRedis } from '../redis/redis-client.js';

export const FAN_OUT_CHANNEL = 'parley:fan-out';
/** Bumped when the envelope changes incompatibly; other versions are ignored. */
const ENVELOPE_VERSION = 1;

interface Envelope {
  v: typeof ENVELOPE_VERSION;
  /** The publishing instance: it has delivered the message to its own listeners already. */
  from: string;
  message: FanOutMessage;
}

type Listener = (message: FanOutMessage) => void;

export class RedisFanOut implements FanOut {
  private readonly listeners = new Set<Listener>();
  private closed = false;
  /** Messages lost since the last one Redis took (logged once per outage). */
  private lost = 0;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly instanceId: string,
    private readonly log: Logger,
  ) {}

  /** Subscribes `subscriber` to the channel; the fan-out owns (and closes) both connections. */
  static async open(
    publisher: Redis,
    subscriber: Redis,
    instanceId: string,
    log: Logger,
  ): Promise<RedisFanOut> {
    const fanOut = new RedisFanOut(publisher, subscriber, instanceId, log);
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === FAN_OUT_CHANNEL) fanOut.receive(text);
    });
    await subscriber.subscribe(FAN_OUT_CHANNEL);
    return fanOut;
  }

  publish(message: FanOutMessage): void {
    this.deliver(message);
    if (this.closed) return;
    const envelope: Envelope = { v: ENVELOPE_VERSION, from: this.instanceId, message };
    try {
      this.publisher.publish(FAN_OUT_CHANNEL, JSON.stringify(envelope)).then(
        () => this.published(),
        (error: unknown) => this.lose(message, error),
      );
    } catch (error) {
      this.lose(message, error);
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await Promise.all([closeRedis(this.publisher), closeRedis(this.subscriber)]);
  }

  private receive(text: string): void {
    const envelope = parseEnvelope(text);
    if (!envelope) {
      this.log.warn({ length: text.length }, 'ignored a fan-out message that is not a version 1 envelope');
      return;
    }
    if (envelope.from === this.instanceId) return; // delivered when it was published
    this.deliver(envelope.message);
  }

  private deliver(message: FanOutMessage): void {
    for (const listener of this.listeners) {
      // One failing listener must not keep the message from the others, nor throw into
      // ioredis's reader or a publisher that has already committed.
      try {
        listener(message);
      } catch (error) {
        this.log.error({ err: error, kind: message.kind }, 'a fan-out listener failed');
      }
    }
  }

  private published(): void {
    if (this.lost === 0) return;
    this.log.info({ lost: this.lost }, 'fan-out publishing works again');
    this.lost = 0;
  }

  private lose(message: FanOutMessage, error: unknown): void {
    if (this.closed) return;
    if (this.lost++ === 0) {
      this.log.warn(
        { err: error, kind: message.kind },
        'a fan-out message could not be published; other instances miss it (room events are healed from the log)',
      );
    }
  }
}

function parseEnvelope(text: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { v, from, message } = value as Record<string, unknown>;
  if (v !== ENVELOPE_VERSION || typeof from !== 'string') return undefined;
  if (typeof message !== 'object' || message === null) return undefined;
  if (typeof (message as Record<string, unknown>).kind !== 'string') return undefined;
  // The kinds are checked by each listener, which ignores the ones it does not handle.
  return value as Envelope;
}
