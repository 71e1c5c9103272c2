import { loginBody, type MeAnswer, registerBody, type ServerLimits, settingsBody } from '@parley/protocol';
import { type Request, type Response, Router } from 'express';
import type { Credentials } from '../../core/accounts/accounts-service.js';
import { AppError } from '../../core/errors.js';
import {
  PLAIN_SESSION_COOKIE,
  SECURE_SESSION_COOKIE,
  sessionCookieName,
} from '../../request-auth/credentials.js';
import { type OriginPolicy, requestOrigin } from '../../request-auth/origin-policy.js';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';
import { sessionRoutes } from './session-routes.js';

const COOKIE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export function authRoutes(services: Services, origins: OriginPolicy, limits: ServerLimits): Router {
  const router = Router();

  /** A browser may only have a session cookie written from an allowed origin. */
  const checkCookieWriteOrigin = (req: Request) => {
    const origin = requestOrigin(req.headers);
    if (origin && !origins.isAllowed(origin, req.headers, req.secure, 'http')) {
      throw new AppError('origin_not_allowed', 'Sign in from the app itself.');
    }
  };

  /**
   * `__Host-parley_session; Secure` when the request is secure (TLS here, or a trusted proxy's
   * X-Forwarded-Proto), `parley_session` without `Secure` over plain HTTP. Both are read.
   */
  const answerWithSession = (req: Request, res: Response, status: number, credentials: Credentials) => {
    const secure = req.secure;
    // A session of this host from before the __Host- name would otherwise linger next to it.
    if (secure) res.clearCookie(PLAIN_SESSION_COOKIE, { path: '/' });
    res.cookie(sessionCookieName(secure), credentials.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: COOKIE_MAX_AGE_MS,
      path: '/',
    });
    res.status(status).json({ user: credentials.user, token: credentials.token });
  };

  router.post('/auth/register', requireJson, async (req, res) => {
    checkCookieWriteOrigin(req);
    const body = validate(registerBody, req.body);
    answerWithSession(
      req,
      res,
      201,
      await services.accounts.register(body, req.ip ?? 'unknown', req.get('user-agent')),
    );
  });

  router.post('/auth/login', requireJson, async (req, res) => {
    checkCookieWriteOrigin(req);
    const body = validate(loginBody, req.body);
    answerWithSession(
      req,
      res,
      200,
      await services.accounts.login(body, req.ip ?? 'unknown', req.get('user-agent')),
    );
  });

  router.post('/auth/logout', requireAuth, async (req, res) => {
    await services.accounts.logout(principalOf(req), req.ip);
    res.clearCookie(PLAIN_SESSION_COOKIE, { path: '/' });
    // A browser takes a __Host- cookie (even an expired one) only with Secure, and only over HTTPS.
    if (req.secure) res.clearCookie(SECURE_SESSION_COOKIE, { path: '/', secure: true });
    res.status(204).end();
  });

  router.get('/me', requireAuth, (req, res) => {
    // The limits ride along so that the web app refuses an oversized file before uploading it.
    const answer: MeAnswer = { user: principalOf(req).user, limits };
    res.json(answer);
  });

  router.get('/me/settings', requireAuth, async (req, res) => {
    res.json({ settings: await services.accounts.settings(principalOf(req)) });
  });

  router.patch('/me/settings', requireAuth, requireJson, async (req, res) => {
    const body = validate(settingsBody, req.body);
    res.json({ settings: await services.accounts.updateSettings(principalOf(req), body) });
  });

  router.post('/auth/ws-ticket', requireAuth, async (req, res) => {
    res.json(await services.accounts.issueWsTicket(principalOf(req)));
  });

  router.use(sessionRoutes(services));

  return router;
}
