import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccountsService } from '../../core/accounts/accounts-service.js';
import type { Principal } from '../../core/accounts/principal.js';
import { AppError, unauthenticated } from '../../core/errors.js';
import { credentialsOf } from '../../request-auth/credentials.js';
import { type OriginPolicy, requestOrigin } from '../../request-auth/origin-policy.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface Caller {
  principal: Principal;
  /** True when the credentials came from the session cookie (so CSRF checks apply). */
  viaCookie: boolean;
}

/**
 * The caller a request's credentials name, or undefined (none, or not valid: routes that need
 * one answer 401). A cookie on an unsafe method must come from an allowed origin (403 otherwise).
 * `secure` is the request's scheme as TRUST_PROXY has it. Shared by the Express app and the lean
 * `POST /jobs` edge.
 */
export async function resolveCaller(
  accounts: AccountsService,
  origins: OriginPolicy,
  request: { method: string | undefined; headers: IncomingHttpHeaders; secure: boolean },
): Promise<Caller | undefined> {
  const credentials = credentialsOf(request.headers);
  if (!credentials) return undefined;
  const principal = await accounts.authenticate(credentials.token);
  if (!principal) return undefined;
  if (credentials.viaCookie && UNSAFE_METHODS.has(request.method ?? '')) {
    const origin = requestOrigin(request.headers);
    if (!origin || !origins.isAllowed(origin, request.headers, request.secure, 'http')) {
      throw new AppError('origin_not_allowed', 'This request must come from the app itself.');
    }
  }
  return { principal, viaCookie: credentials.viaCookie };
}

/** Resolves credentials into req.principal (see resolveCaller). */
export function authenticate(accounts: AccountsService, origins: OriginPolicy): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const caller = await resolveCaller(accounts, origins, req);
    if (caller) {
      req.principal = caller.principal;
      req.viaCookie = caller.viaCookie;
    }
    next();
  };
}

export const requireAuth: RequestHandler = (req, _res, next) => {
  if (!req.principal) throw unauthenticated();
  next();
};
