/**
 * Sends Web Push for new messages, after they commit, never in the request path: the instance
 * whose unit of work committed the message (`UnitOfWork.onCommitted`, local to that instance)
 * queues it here, so of several instances exactly one pushes a given message. Who gets one:
 * members of the room with a push subscription, but not the author, whose notification level
 * wants the message (`all`: everything; `mentions`, the default in channels: a mention of them
 * or `@room` / `@here`, or a reply to them, as `record-mentions.ts` stored it; `mute`: nothing;
 * a DM defaults to `all`), and who have no online socket anywhere (the ConnectionRegistry: a
 * user with the app open is told there). Failures are logged; a subscription the push service
 * says is gone (404, 410) is forgotten.
 */
import {
  defaultNotifyLevel,
  type Message,
  type PushPayload,
  permalinkOf,
  plainText,
  type RoomEvent,
} from '@parley/protocol';
import { nowIso } from '../clock.js';
import type { ConnectionRegistry } from '../ports/connection-registry.js';
import type { Database } from '../ports/database.js';
import { EVERYONE } from '../ports/mentions.js';
import type { PushSender, PushSubscriptionRecord, VapidKeys } from '../ports/push.js';
import type { RoomRecord } from '../ports/records.js';

export interface PushLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** Messages waiting to be pushed; beyond this the oldest are dropped (and logged). */
const MAX_QUEUED = 10_000;
/**
 * How long "nobody has subscribed" is believed: while it holds, a message costs no query at all
 * (an installation without push, a benchmark). A subscription made on this instance ends it at
 * once (`subscriptionsChanged`); one made on another instance is seen within this time.
 */
const NO_SUBSCRIBERS_TTL_MS = 5000;

export class PushNotifier {
  private readonly queue: { roomId: string; message: Message }[] = [];
  private draining: Promise<void> | undefined;
  /** Until when nobody is known to have subscribed (0: not known). */
  private noSubscribersUntil = 0;

  constructor(
    private readonly db: Database,
    private readonly sender: PushSender,
    private readonly connections: ConnectionRegistry,
    private readonly keys: VapidKeys,
    private readonly log: PushLogger,
  ) {}

  /** A subscription was made here: stop believing there are none. */
  subscriptionsChanged(): void {
    this.noSubscribersUntil = 0;
  }

  /** Takes every committed event of this instance; only new messages are pushed. */
  onCommitted(event: RoomEvent): void {
    if (event.type !== 'message.created') return;
    const message = (event.data as { message: Message }).message;
    if (this.queue.length >= MAX_QUEUED) {
      this.queue.shift();
      this.log.warn({}, 'web push queue full: the oldest message is not pushed');
    }
    this.queue.push({ roomId: event.roomId, message });
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  /** Resolves once everything queued so far has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        await this.push(next.roomId, next.message);
      } catch (error) {
        this.log.warn({ err: error, messageId: next.message.id }, 'web push for a message failed');
      }
    }
  }

  private async push(roomId: string, message: Message): Promise<void> {
    if (Date.now() < this.noSubscribersUntil) return;
    if (!(await this.db.push.anySubscription())) {
      this.noSubscribersUntil = Date.now() + NO_SUBSCRIBERS_TTL_MS;
      return;
    }
    const subscriptions = await this.db.push.subscriptionsInRoom(roomId, message.author.id, nowIso());
    if (subscriptions.length === 0) return;
    const room = await this.db.rooms.findById(roomId);
    if (!room) return;
    const called = await this.calledOn(message);
    const wanted = subscriptions.filter((subscription) => {
      const level = subscription.notifyLevel ?? defaultNotifyLevel(room.visibility);
      if (level === 'all') return true;
      if (level === 'mute') return false;
      return called.everyone || called.users.has(subscription.userId);
    });
    if (wanted.length === 0) return;
    const online = await this.connections.onlineAmong([...new Set(wanted.map((s) => s.userId))]);
    const payload = JSON.stringify(payloadOf(room, message));
    await Promise.all(
      wanted.filter((s) => !online.has(s.userId)).map((subscription) => this.sendOne(subscription, payload)),
    );
  }

  /** Who the message calls on, as stored with it (names, `@room`/`@here`, replies, threads). */
  private async calledOn(message: Message): Promise<{ everyone: boolean; users: Set<string> }> {
    const rows = await this.db.mentions.ofMessage(message.id);
    return {
      everyone: rows.some((row) => row.recipientId === EVERYONE),
      users: new Set(rows.filter((row) => row.recipientId !== EVERYONE).map((row) => row.recipientId)),
    };
  }

  private async sendOne(subscription: PushSubscriptionRecord, payload: string): Promise<void> {
    const outcome = await this.sender.send(subscription, payload, this.keys);
    if (outcome.kind === 'gone') {
      await this.db.push.forgetEndpoint(subscription.endpoint);
      this.log.info(
        { status: outcome.status, userId: subscription.userId },
        'push subscription gone: forgotten',
      );
    } else if (outcome.kind === 'failed') {
      this.log.warn(
        { status: outcome.status, userId: subscription.userId, reason: outcome.message },
        'web push failed',
      );
    }
  }
}

/** What the service worker shows: `#room · Author` (the author alone in a DM), the text, the link. */
export function payloadOf(room: RoomRecord, message: Message): PushPayload {
  const author = message.author.displayName || message.author.username;
  const text = message.text ? plainText(message.text) : (message.attachment?.fileName ?? '');
  return {
    title: room.visibility === 'dm' ? author : `#${room.name} · ${author}`,
    body: text,
    url: permalinkOf(room.slug, message.id),
    tag: `room:${room.id}`,
  };
}
