import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { OriginPolicy } from '../../request-auth/origin-policy.js';

/**
 * The CORS headers of an answer to another origin we allow (the Vite dev server,
 * ALLOWED_ORIGINS); true when they were set. Shared by the Express app and the lean
 * `POST /jobs` edge.
 */
export function setCorsHeaders(req: IncomingMessage, res: ServerResponse, origins: OriginPolicy): boolean {
  const origin = req.headers.origin;
  if (!origin || !origins.isCrossOriginAllowed(origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', 'Location, Idempotent-Replayed, Retry-After');
  varyOnOrigin(res);
  return true;
}

/** Adds Origin to Vary (as Express's `res.vary('Origin')`: kept once, `*` left alone). */
function varyOnOrigin(res: ServerResponse): void {
  const current = res.getHeader('Vary');
  const existing = Array.isArray(current) ? current.join(', ') : current === undefined ? '' : String(current);
  if (existing === '') {
    res.setHeader('Vary', 'Origin');
    return;
  }
  const fields = existing.split(',').map((field) => field.trim().toLowerCase());
  if (fields.includes('*') || fields.includes('origin')) return;
  res.setHeader('Vary', `${existing}, Origin`);
}

/** CORS with credentials for the other origins we allow; answers their preflights. */
export function cors(origins: OriginPolicy): RequestHandler {
  return (req, res, next) => {
    if (setCorsHeaders(req, res, origins) && req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
