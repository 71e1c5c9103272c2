import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccountsService } from '../../core/accounts/accounts-service.js';
import { AppError, unauthenticated } from '../../core/errors.js';
import { credentialsOf } from '../../request-auth/credentials.js';
import { type OriginPolicy, requestOrigin } from '../../request-auth/origin-policy.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Resolves credentials into req.principal; a cookie on an unsafe method must come from an allowed origin. */
export function authenticate(accounts: AccountsService, origins: OriginPolicy): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const credentials = credentialsOf(req.headers);
    if (!credentials) return next();
    const principal = await accounts.authenticate(credentials.token);
    if (!principal) return next();
    if (credentials.viaCookie && UNSAFE_METHODS.has(req.method)) {
      const origin = requestOrigin(req.headers);
      if (!origin || !origins.isAllowed(origin, req.headers, req.secure, 'http')) {
        throw new AppError('origin_not_allowed', 'This request must come from the app itself.');
      }
    }
    req.principal = principal;
    req.viaCookie = credentials.viaCookie;
    next();
  };
}

export const requireAuth: RequestHandler = (req, _res, next) => {
  if (!req.principal) throw unauthenticated();
  next();
};
