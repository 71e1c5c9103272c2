/**
 * Security headers (helmet). Every answer (API JSON, errors, files, the web app) gets the same
 * base: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
 * `Cross-Origin-Opener-Policy: same-origin`, `X-Frame-Options: DENY`, HSTS when the request is
 * secure, and a Content-Security-Policy that allows nothing (`default-src 'none';
 * frame-ancestors 'none'`): an API answer is never a page. The web app's HTML document replaces
 * that CSP with `appDocumentHeaders`; a file download replaces it with its own sandboxing CSP
 * (routes/file-routes.ts), set later and so never overwritten by these.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export interface AppPolicyOptions {
  /** The dedicated WebSocket listener: the app may connect to it on the page's host. */
  wsPort: number;
  /** ALLOWED_ORIGINS: other origins the app may call (REST, and WebSocket on the same host and port). */
  allowedOrigins: readonly string[];
  /** Where images come from besides the app itself: S3, when downloads redirect there. */
  imageOrigins: readonly string[];
}

/** One year: the usual HSTS lifetime. Subdomains and preloading stay the operator's decision. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600;

/** Sets the base headers of every answer on a response; HSTS only when the request is secure. */
export type SecurityHeaders = (res: ServerResponse, secure: boolean) => void;

/**
 * The base headers, worked out once: they depend on nothing in the request, so helmet runs here,
 * at start, and each answer gets the list (helmet's chain of a dozen middlewares per request cost
 * more than the headers themselves on the ingest path). Shared by the Express app and the lean
 * `POST /jobs` edge.
 */
export function baseSecurityHeaders(): SecurityHeaders {
  const base = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    // The web app of another ALLOWED_ORIGINS host of the same site may still show images.
    crossOriginResourcePolicy: { policy: 'same-site' },
    // Nothing needs a Referer: the app's writes are fetch() calls in `cors` mode, which carry
    // Origin whatever the policy (what the cross-site check reads). A plain HTML form POST gets
    // `Origin: null` under it and is refused, which is the safe side.
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false });
  const headers = headersSetBy(base);
  const secureHeaders = headersSetBy(hsts);
  return (res, secure) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    if (secure) for (const [name, value] of secureHeaders) res.setHeader(name, value);
  };
}

/** The base headers as Express middleware (`req.secure` follows TRUST_PROXY). */
export function securityHeaders(): RequestHandler {
  const apply = baseSecurityHeaders();
  return (req, res, next) => {
    apply(res, req.secure);
    next();
  };
}

/** The headers a request-independent middleware sets, in order (it must answer synchronously). */
function headersSetBy(middleware: RequestHandler): [string, string | string[]][] {
  const headers = new Map<string, string | string[]>();
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name, typeof value === 'number' ? String(value) : (value as string | string[]));
      return response;
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
    getHeader: (name: string) => headers.get(name),
  };
  let done = false;
  middleware({ headers: {} } as never, response as never, (error?: unknown) => {
    if (error) throw error;
    done = true;
  });
  if (!done) throw new Error('security headers: the middleware did not answer synchronously');
  return [...headers];
}

/**
 * The Content-Security-Policy of the web app's HTML document: its own scripts and styles only
 * (the build has no inline script, and React's `style={…}` props are set through the CSSOM, which
 * CSP does not govern), images from itself, `data:`, `blob:` (upload previews) and S3, and
 * connections to itself, its WebSocket listeners and ALLOWED_ORIGINS.
 */
export function appDocumentHeaders(options: AppPolicyOptions): RequestHandler {
  const allowed = options.allowedOrigins.flatMap(withSocketScheme);
  const policy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:', ...options.imageOrigins.filter(isSafeSource)],
      connectSrc: [(req) => ["'self'", ...ownSocketOrigins(req, options.wsPort), ...allowed].join(' ')],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });
  return (req, res, next) => policy(req, res, next);
}

/** `ws(s)://` of the page's own host, and of that host on WS_PORT (none for a Host we will not echo). */
function ownSocketOrigins(req: IncomingMessage, wsPort: number): string[] {
  const host = req.headers.host;
  if (!host || !HOST.test(host)) return [];
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  return [`ws://${host}`, `wss://${host}`, `ws://${hostname}:${wsPort}`, `wss://${hostname}:${wsPort}`];
}

/** A host name or IP literal with an optional port: nothing that could end a CSP directive. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i;

const isSafeSource = (source: string) => !/[\s;,'"]/.test(source);

/** An allowed origin, and the WebSocket origin on the same host and port. */
function withSocketScheme(origin: string): string[] {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return [];
  }
  if (!isSafeSource(url.origin) || (url.protocol !== 'http:' && url.protocol !== 'https:')) return [];
  return [url.origin, `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`];
}

export interface S3DownloadTarget {
  bucket: string;
  endpoint?: string | undefined;
  region: string;
  /** Undefined when downloads stream through this server (S3_DOWNLOADS=proxy). */
  presignSeconds: number | undefined;
}

/**
 * The origins presigned download links point to, as the AWS SDK builds them: the bucket as a
 * subdomain of the endpoint (virtual-host) or in the path (path-style). Both are listed, as the
 * SDK may fall back to path-style (bucket names with dots). Empty when downloads are proxied.
 */
export function s3DownloadOrigins(s3: S3DownloadTarget | undefined): string[] {
  if (!s3 || s3.presignSeconds === undefined) return [];
  if (s3.endpoint === undefined) {
    return [`https://${s3.bucket}.s3.${s3.region}.amazonaws.com`, `https://s3.${s3.region}.amazonaws.com`];
  }
  const endpoint = new URL(s3.endpoint);
  return [`${endpoint.protocol}//${s3.bucket}.${endpoint.host}`, endpoint.origin];
}
