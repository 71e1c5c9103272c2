/**
 * Web Push: the installation's VAPID key pair and the browsers' subscriptions (stored), and the
 * sender that delivers an encrypted payload to a push service (web-push in `push/`).
 */
import type { NotifyLevel } from '@parley/protocol';

export interface VapidKeys {
  /** base64url, an uncompressed P-256 point. */
  publicKey: string;
  /** base64url, the 32-byte private scalar. */
  privateKey: string;
}

export interface PushSubscriptionRecord {
  id: string;
  userId: string;
  /** The session that subscribed; its pushes stop when that session ends. */
  sessionId: string;
  endpoint: string;
  /** The browser's P-256 public key, base64url. */
  p256dh: string;
  /** The browser's 16-byte authentication secret, base64url. */
  auth: string;
  createdAt: string;
}

export interface PushRepository {
  /**
   * The installation's key pair: `candidate` is stored if there is none yet, and whatever is
   * stored is returned. Of instances starting together, the first insert wins and all use it.
   */
  vapidKeys(candidate: VapidKeys, now: string): Promise<VapidKeys>;
  /** Stores a subscription; an endpoint already stored is taken over (keys and user replaced). */
  subscribe(subscription: PushSubscriptionRecord): Promise<void>;
  /** Forgets the user's subscription of this endpoint; false when they had none. */
  unsubscribe(userId: string, endpoint: string): Promise<boolean>;
  /** Forgets an endpoint the push service says is gone (404/410), whoever holds it. */
  forgetEndpoint(endpoint: string): Promise<void>;
  /** Whether anyone at all has subscribed (most messages of an installation without push stop here). */
  anySubscription(): Promise<boolean>;
  /**
   * The subscriptions of the room's members but one, with each member's chosen level; only
   * those whose session is still live at `now` (not revoked, not expired).
   */
  subscriptionsInRoom(
    roomId: string,
    exceptUserId: string,
    now: string,
  ): Promise<(PushSubscriptionRecord & { notifyLevel: NotifyLevel | null })[]>;
}

/** What became of one push: delivered, gone (forget the subscription), or failed (log it). */
export type PushOutcome =
  | { kind: 'sent' }
  | { kind: 'gone'; status: number }
  | { kind: 'failed'; status?: number; message: string };

/** Sends a payload to one subscription through its push service, signed with the VAPID keys. */
export interface PushSender {
  send(subscription: PushSubscriptionRecord, payload: string, keys: VapidKeys): Promise<PushOutcome>;
  /** A fresh key pair (for the first start). */
  generateKeys(): VapidKeys;
}
