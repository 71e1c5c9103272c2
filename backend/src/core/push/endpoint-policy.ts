/**
 * Which push endpoints the server will send to. The server POSTs to whatever a signed-in user
 * registers, so an open policy would let any user make it send requests into the operator's own
 * network (server-side request forgery: an internal https service, or a 404/410 oracle through
 * the subscription being forgotten). So an endpoint must be https to a host of a known browser
 * push service (`PUSH_SERVICE_HOSTS`: the host itself or a subdomain; by default Chrome's and
 * Edge-on-Chromium's FCM, Firefox's autopush, Safari's and Windows' services). Plain http would
 * also send the payload and the VAPID signature in the clear. Plain http to a loopback address
 * (127.0.0.0/8, ::1, localhost) is allowed only when the operator turns on
 * `PUSH_ALLOW_HTTP_LOOPBACK` (the tests' local push service).
 */
import { invalidField } from '../errors.js';

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** The push services of today's browsers (a host is allowed, and its subdomains). */
export const DEFAULT_PUSH_SERVICE_HOSTS: readonly string[] = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  'push.services.mozilla.com',
  'push.apple.com',
  'notify.windows.com',
];

export interface PushEndpointPolicy {
  /** Hosts (and their subdomains) of the push services the server will post to. */
  serviceHosts: readonly string[];
  allowHttpLoopback: boolean;
}

export function checkPushEndpoint(endpoint: string, policy: PushEndpointPolicy): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidField('endpoint', 'must be a URL');
  }
  if (url.username || url.password) throw invalidField('endpoint', 'must not carry credentials');
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'https:') {
    if (policy.serviceHosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))) return;
    throw invalidField('endpoint', "must be a known browser push service's URL");
  }
  if (url.protocol === 'http:' && policy.allowHttpLoopback && LOOPBACK_HOSTS.test(host)) return;
  throw invalidField('endpoint', 'must be an https URL');
}
