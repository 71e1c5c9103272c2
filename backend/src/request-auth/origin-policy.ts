/**
 * Which browser origins may use cookies, CORS and WebSocket upgrades: the app's own origin
 * (scheme and Host of the request, compared exactly), ALLOWED_ORIGINS, and in development the
 * Vite dev server.
 */
import type { IncomingHttpHeaders } from 'node:http';

export const VITE_DEV_ORIGIN = 'http://localhost:5173';

export type Listener = 'http' | 'ws';

export class OriginPolicy {
  private readonly extra: Set<string>;

  constructor(options: { allowedOrigins: string[]; development: boolean; httpPort: number }) {
    this.extra = new Set(options.allowedOrigins);
    if (options.development) this.extra.add(VITE_DEV_ORIGIN);
    this.httpPort = options.httpPort;
  }

  private readonly httpPort: number;

  /**
   * The app's own origin as this request sees it. On the WS_PORT listener: same host, HTTP_PORT.
   * `secure` is the request's scheme as `ProxyTrust.isSecure` (or Express's `req.secure`) has it:
   * X-Forwarded-Proto counts only from a trusted proxy.
   */
  ownOrigin(headers: IncomingHttpHeaders, secure: boolean, listener: Listener): string | undefined {
    const host = headers.host;
    if (!host) return undefined;
    const proto = secure ? 'https' : 'http';
    if (listener === 'http') return `${proto}://${host}`;
    const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
    return `${proto}://${hostname}:${this.httpPort}`;
  }

  isAllowed(origin: string, headers: IncomingHttpHeaders, secure: boolean, listener: Listener): boolean {
    return origin === this.ownOrigin(headers, secure, listener) || this.extra.has(origin);
  }

  /** Allowed for CORS: another origin we let in (the own origin needs no CORS headers). */
  isCrossOriginAllowed(origin: string): boolean {
    return this.extra.has(origin);
  }
}

/** The origin a browser request came from: its Origin header or, failing that, its Referer's. */
export function requestOrigin(headers: IncomingHttpHeaders): string | undefined {
  const origin = headers.origin;
  if (origin && origin !== 'null') return origin;
  const referer = headers.referer;
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
