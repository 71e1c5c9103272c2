/**
 * The PushSender over the `web-push` library (RFC 8291 encryption, RFC 8292 VAPID): web-push
 * builds the request (the aes128gcm body, the VAPID `Authorization` header, TTL, Urgency), and
 * we send it with fetch, which bounds it with a timeout and also reaches a plain-http loopback
 * push service when the endpoint policy allows one (web-push's own sender speaks only https).
 * No vendor relay: the request goes straight to the subscription's push service.
 */
import webpush from 'web-push';
import type { PushOutcome, PushSender, PushSubscriptionRecord, VapidKeys } from '../core/ports/push.js';

/** A push for a chat message is worth little after a day. */
const TTL_SECONDS = 24 * 3600;
const TIMEOUT_MS = 10_000;

export class WebPushSender implements PushSender {
  /** `subject`: how the push service may reach the operator (mailto: or https: URL). */
  constructor(private readonly subject: string) {}

  generateKeys(): VapidKeys {
    return webpush.generateVAPIDKeys();
  }

  async send(subscription: PushSubscriptionRecord, payload: string, keys: VapidKeys): Promise<PushOutcome> {
    let request: webpush.RequestDetails;
    try {
      request = webpush.generateRequestDetails(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        payload,
        {
          vapidDetails: { subject: this.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          TTL: TTL_SECONDS,
          urgency: 'high',
        },
      );
    } catch (error) {
      // Keys the browser gave that cannot be encrypted to: the subscription is unusable.
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([name]) => name.toLowerCase() !== 'content-length')
        .map(([name, value]) => [name, String(value)]),
    );
    try {
      const response = await fetch(request.endpoint, {
        method: request.method,
        headers,
        body: request.body ?? null,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { kind: 'sent' };
      if (response.status === 404 || response.status === 410)
        return { kind: 'gone', status: response.status };
      return { kind: 'failed', status: response.status, message: response.statusText };
    } catch (error) {
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  }
}
