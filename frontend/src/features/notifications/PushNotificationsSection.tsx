/**
 * Web Push on this device (Settings > Notifications): subscribes the service worker's push
 * manager with the server's VAPID key and registers the subscription, or takes it back. Pushes
 * reach this device while Parley is closed; the service worker shows them
 * (`public/sw-push.js`). Everything starts from a click, as browsers require.
 */
import type { PushSubscriptionBody } from '@parley/protocol';
import { useEffect, useId, useState } from 'react';
import type { ApiClient } from '../../api/ApiClient';
import { ApiError, describeError } from '../../api/ApiError';

export type PushApi = Pick<ApiClient, 'vapidPublicKey' | 'subscribePush' | 'unsubscribePush'>;

type State =
  | { kind: 'checking' }
  | { kind: 'unsupported'; why: string }
  | { kind: 'off' }
  | { kind: 'on'; subscription: PushSubscription }
  | { kind: 'denied' };

/** The key as `applicationServerKey` wants it: bytes from base64url. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** How long to wait for the service worker, which registers itself after the page loads. */
const WORKER_WAIT_MS = 10_000;

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  if (!('serviceWorker' in navigator)) return undefined;
  const now = await navigator.serviceWorker.getRegistration();
  if (now?.active) return now;
  // Just loaded: wait a moment for it to be active (none comes in development builds).
  return Promise.race([
    navigator.serviceWorker.ready,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), WORKER_WAIT_MS)),
  ]);
}

async function readState(): Promise<State> {
  if (typeof window === 'undefined' || !('PushManager' in window) || !('serviceWorker' in navigator)) {
    return { kind: 'unsupported', why: 'This browser cannot receive push notifications.' };
  }
  if (typeof Notification !== 'undefined' && Notification.permission === 'denied') return { kind: 'denied' };
  const worker = await registration();
  if (!worker) {
    return { kind: 'unsupported', why: 'Push needs Parley’s service worker, which is not installed here.' };
  }
  const subscription = await worker.pushManager.getSubscription();
  return subscription ? { kind: 'on', subscription } : { kind: 'off' };
}

const HINTS: Record<Exclude<State['kind'], 'unsupported'>, string> = {
  checking: 'Checking this device…',
  off: 'Get direct messages and mentions on this device even while Parley is closed.',
  on: 'On for this device. Rooms notify by their level; nothing is sent while Parley is open here.',
  denied:
    'Blocked by this browser. Allow notifications for this site in the browser’s settings to turn them on.',
};

export function PushNotificationsSection({ api }: { api: PushApi }) {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const hintId = useId();

  useEffect(() => {
    let live = true;
    readState().then(
      (next) => live && setState(next),
      () => live && setState({ kind: 'unsupported', why: 'This browser cannot receive push notifications.' }),
    );
    return () => {
      live = false;
    };
  }, []);

  async function turnOn() {
    setBusy(true);
    setError(null);
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        setState(permission === 'denied' ? { kind: 'denied' } : { kind: 'off' });
        return;
      }
      const worker = await registration();
      if (!worker) throw new Error('Parley’s service worker is not installed here.');
      const applicationServerKey = keyBytes(await api.vapidPublicKey());
      const subscription = await worker.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey,
      });
      await api.subscribePush(subscription.toJSON() as PushSubscriptionBody);
      setState({ kind: 'on', subscription });
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  }

  async function turnOff(subscription: PushSubscription) {
    setBusy(true);
    setError(null);
    try {
      // The server first: a subscription it still holds would keep being pushed to.
      await api.unsubscribePush(subscription.endpoint).catch((cause: unknown) => {
        if (!(cause instanceof ApiError && cause.code === 'not_found')) throw cause;
      });
      await subscription.unsubscribe();
      setState({ kind: 'off' });
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="settings-section" aria-labelledby={headingId} aria-describedby={hintId}>
      <header className="settings-section__header">
        <h3 id={headingId} className="settings-section__title">
          Push notifications on this device
        </h3>
        <p id={hintId} className="settings-section__hint" data-testid="push-status">
          {state.kind === 'unsupported' ? state.why : HINTS[state.kind]}
        </p>
      </header>
      {state.kind === 'off' ? (
        <button
          type="button"
          className="button button--ghost button--small"
          disabled={busy}
          onClick={() => void turnOn()}
        >
          {busy ? 'Turning on…' : 'Turn on push notifications'}
        </button>
      ) : state.kind === 'on' ? (
        <button
          type="button"
          className="button button--ghost button--small"
          disabled={busy}
          onClick={() => void turnOff(state.subscription)}
        >
          {busy ? 'Turning off…' : 'Turn off on this device'}
        </button>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
