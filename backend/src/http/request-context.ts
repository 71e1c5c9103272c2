import type { Request } from 'express';
import type { Principal } from '../core/accounts/principal.js';
import { invalidField, unauthenticated } from '../core/errors.js';

declare global {
  namespace Express {
    interface Request {
      /** Set by the authenticate middleware when the request carries valid credentials. */
      principal?: Principal;
      /** True when those credentials came from the session cookie (so CSRF checks apply). */
      viaCookie?: boolean;
    }
  }
}

/** The caller, for routes behind requireAuth. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthenticated();
  return req.principal;
}

/**
 * A path parameter of the matched route. U+0000 (`%00`) is refused here, once for every route:
 * no id holds it, and PostgreSQL cannot even compare text with it.
 */
export function pathParam(req: Request, name: string): string {
  const raw = (req.params as Record<string, string | string[] | undefined>)[name];
  const value = Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '');
  if (value.includes('\u0000')) throw invalidField(name, 'must not contain the NUL character (U+0000)');
  return value;
}
