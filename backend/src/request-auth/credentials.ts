/**
 * Where a request's credentials are, for both edges (REST requests and WebSocket upgrades): a
 * bearer token, or the session cookie the web app was given at sign-in.
 */
import { parse as parseCookies } from 'cookie';

/**
 * The session cookie over a secure connection (HTTPS, directly or through a trusted proxy): the
 * `__Host-` prefix makes the browser keep it only with `Secure`, `Path=/` and no `Domain`, so
 * neither a sibling subdomain nor a plain-HTTP page can plant or overwrite it.
 */
export const SECURE_SESSION_COOKIE = '__Host-parley_session';
/** The session cookie over plain HTTP (a laptop on localhost): browsers refuse `__Host-` without `Secure`. */
export const PLAIN_SESSION_COOKIE = 'parley_session';

/** The name the session cookie gets on a request that is (or is not) secure. */
export const sessionCookieName = (secure: boolean): string =>
  secure ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE;

export interface RequestCredentials {
  token: string;
  /** A cookie is sent by the browser on its own, so cookie-authenticated writes need an Origin check. */
  viaCookie: boolean;
}

/** The bearer token or session cookie of a request (bearer wins; of two cookies, the `__Host-` one). */
export function credentialsOf(headers: {
  authorization?: string | undefined;
  cookie?: string | undefined;
}): RequestCredentials | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ? { token: match[1], viaCookie: false } : undefined;
  }
  if (!headers.cookie) return undefined;
  const cookies = parseCookies(headers.cookie);
  const cookie = cookies[SECURE_SESSION_COOKIE] || cookies[PLAIN_SESSION_COOKIE];
  return cookie ? { token: cookie, viaCookie: true } : undefined;
}
