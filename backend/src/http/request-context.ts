import type { Request } from 'express';
import type { Principal } from '../core/accounts/principal.js';
import { unauthenticated } from '../core/errors.js';

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

/** A path parameter of the matched route. */
export function pathParam(req: Request, name: string): string {
  const value = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}
