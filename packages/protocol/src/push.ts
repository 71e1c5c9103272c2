/**
 * Web Push: `GET /push/vapid-public-key`, `POST /push/subscriptions` (a browser's
 * PushSubscription as `toJSON()` gives it), `DELETE /push/subscriptions`, and what a push
 * carries to the service worker (`frontend/public/sw-push.js`).
 */
import { z } from 'zod';

/** The longest endpoint URL accepted (push services' are a few hundred characters). */
export const PUSH_ENDPOINT_MAX = 2048;

export interface VapidPublicKeyResponse {
  /** The application server key, base64url (an uncompressed P-256 point, 65 bytes). */
  publicKey: string;
}

/** Base64url without padding, as `PushSubscription.toJSON()` gives the keys. */
const base64url = (bytes: number, what: string) =>
  z
    .string({ error: 'is required' })
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `must be base64url (${what})`)
    .refine(
      (value) => value.replace(/=+$/, '').length === Math.ceil((bytes * 4) / 3),
      `must be ${bytes} bytes (${what})`,
    );

export const pushSubscriptionBody = z.object({
  endpoint: z
    .string({ error: 'is required' })
    .max(PUSH_ENDPOINT_MAX, `must be at most ${PUSH_ENDPOINT_MAX} characters`)
    .pipe(z.url({ error: 'must be a URL' })),
  expirationTime: z.number().nullable().optional(),
  keys: z.object(
    {
      p256dh: base64url(65, 'an uncompressed P-256 public key'),
      auth: base64url(16, 'the authentication secret'),
    },
    { error: 'is required' },
  ),
});
export type PushSubscriptionBody = z.infer<typeof pushSubscriptionBody>;

export const pushUnsubscribeBody = z.object({
  endpoint: z.string({ error: 'is required' }).min(1, 'is required').max(PUSH_ENDPOINT_MAX),
});
export type PushUnsubscribeBody = z.infer<typeof pushUnsubscribeBody>;

/** What a push carries (JSON, encrypted for the subscription): the service worker shows it. */
export interface PushPayload {
  /** `#room · Author`, or the author alone in a DM. */
  title: string;
  /** The message as plain text, at most 160 characters. */
  body: string;
  /** The permalink to open on click: `/r/<slug>/m/<messageId>`. */
  url: string;
  /** Notifications of one room replace each other rather than pile up. */
  tag: string;
}
