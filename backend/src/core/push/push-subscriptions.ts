/**
 * The browser side of Web Push: the installation's public VAPID key, and each signed-in
 * browser's subscription (`POST` / `DELETE /push/subscriptions`). The key pair is made on the
 * first start and kept in the database (`push.vapidKeys`, insert-if-absent), so every instance
 * of a cluster signs with the same key and subscriptions survive restarts.
 */
import type { PushSubscriptionBody } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { nowIso } from '../clock.js';
import { notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Database } from '../ports/database.js';
import type { PushSender, VapidKeys } from '../ports/push.js';
import { checkPushEndpoint, type PushEndpointPolicy } from './endpoint-policy.js';

export class PushSubscriptions {
  private readonly subscribedListeners: (() => void)[] = [];

  private constructor(
    private readonly db: Database,
    readonly keys: VapidKeys,
    private readonly options: PushEndpointPolicy,
  ) {}

  /** Loads the installation's key pair, making and storing one on the first start. */
  static async open(
    db: Database,
    sender: PushSender,
    options: PushEndpointPolicy,
  ): Promise<PushSubscriptions> {
    const keys = await db.push.vapidKeys(sender.generateKeys(), nowIso());
    return new PushSubscriptions(db, keys, options);
  }

  /** Hears each new subscription made on this instance (the notifier's "nobody subscribed" cache). */
  onSubscribed(listener: () => void): void {
    this.subscribedListeners.push(listener);
  }

  get publicKey(): string {
    return this.keys.publicKey;
  }

  async subscribe(principal: Principal, body: PushSubscriptionBody): Promise<void> {
    checkPushEndpoint(body.endpoint, this.options);
    await this.db.push.subscribe({
      id: newId(),
      userId: principal.user.id,
      sessionId: principal.sessionId,
      endpoint: body.endpoint,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
      createdAt: nowIso(),
    });
    for (const listener of this.subscribedListeners) listener();
  }

  /** A subscription the caller does not hold is not found (it says nothing about others'). */
  async unsubscribe(principal: Principal, endpoint: string): Promise<void> {
    if (!(await this.db.push.unsubscribe(principal.user.id, endpoint))) {
      throw notFound('No push subscription of yours has this endpoint.');
    }
  }
}
