/**
 * Which push endpoints the server will send to. Browsers' push services are all https; the
 * server POSTs to whatever a signed-in user registers, so anything else is refused: plain http
 * would send the (encrypted) payload and the VAPID signature in the clear. Plain http to a
 * loopback address (127.0.0.0/8, ::1, localhost) is allowed only when the operator turns on
 * `PUSH_ALLOW_HTTP_LOOPBACK` (the tests' local push service); it is off by default because it
 * would let any user make the server POST to its own machine.
 */
import { invalidField } from '../errors.js';

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function checkPushEndpoint(endpoint: string, allowHttpLoopback: boolean): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidField('endpoint', 'must be a URL');
  }
  if (url.username || url.password) throw invalidField('endpoint', 'must not carry credentials');
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && allowHttpLoopback && LOOPBACK_HOSTS.test(url.hostname)) return;
  throw invalidField('endpoint', 'must be an https URL');
}
