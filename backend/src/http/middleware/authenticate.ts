import { parse as parseCookies } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccountsService } from '../../core/accounts/accounts-service.js';
import { AppError, unauthenticated } from '../../core/errors.js';
import { type OriginPolicy, requestOrigin } from '../origin-policy.js';

export const SESSION_COOKIE = 'parley_session';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The bearer token or session cookie of a request (bearer wins). */
export function credentialsOf(headers: {
  authorization?: string | undefined;
  cookie?: string | undefined;
}): { token: string; viaCookie: boolean } | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ? { token: match[1], viaCookie: false } : undefined;
  }
  const cookie = headers.cookie ? parseCookies(headers.cookie)[SESSION_COOKIE] : undefined;
  return cookie ? { token: cookie, viaCookie: true } : undefined;
}

/** Resolves credentials into req.principal; a cookie on an unsafe method must come from an allowed origin. */
export function authenticate(accounts: AccountsService, origins: OriginPolicy): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const credentials = credentialsOf(req.headers);
    if (!credentials) return next();
    const principal = await accounts.authenticate(credentials.token);
    if (!principal) return next();
    if (credentials.viaCookie && UNSAFE_METHODS.has(req.method)) {
      const origin = requestOrigin(req.headers);
      if (!origin || !origins.isAllowed(origin, req.headers, isEncrypted(req), 'http')) {
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

export const isEncrypted = (req: Request): boolean =>
  (req.socket as { encrypted?: boolean }).encrypted === true;
