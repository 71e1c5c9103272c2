/**
 * Where a request's credentials are, for both edges (REST requests and WebSocket upgrades): a
 * bearer token, or the session cookie the web app was given at sign-in.
 */
import { parse as parseCookies } from 'cookie';

export const SESSION_COOKIE = 'parley_session';

export interface RequestCredentials {
  token: string;
  /** A cookie is sent by the browser on its own, so cookie-authenticated writes need an Origin check. */
  viaCookie: boolean;
}

/** The bearer token or session cookie of a request (bearer wins). */
export function credentialsOf(headers: {
  authorization?: string | undefined;
  cookie?: string | undefined;
}): RequestCredentials | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ? { token: match[1], viaCookie: false } : undefined;
  }
  const cookie = headers.cookie ? parseCookies(headers.cookie)[SESSION_COOKIE] : undefined;
  return cookie ? { token: cookie, viaCookie: true } : undefined;
}

/** Whether the connection itself is TLS (behind a proxy, X-Forwarded-Proto says it instead). */
export const isEncrypted = (socket: unknown): boolean =>
  (socket as { encrypted?: boolean }).encrypted === true;
