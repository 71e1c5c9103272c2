import { changePasswordBody } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

/**
 * One's own sessions and password: list the sessions, end one or all the others, change the
 * password (which ends the others too). Every ended session's sockets close with 4001.
 */
export function sessionRoutes(services: Services): Router {
  const router = Router();

  router.get('/me/sessions', requireAuth, async (req, res) => {
    res.json({ sessions: await services.accounts.listSessions(principalOf(req)) });
  });

  // Before `/me/sessions/:id`, which it would otherwise match with the id `revoke-others`.
  router.post('/me/sessions/revoke-others', requireAuth, async (req, res) => {
    await services.accounts.revokeOtherSessions(principalOf(req), req.ip);
    res.status(204).end();
  });

  router.delete('/me/sessions/:id', requireAuth, async (req, res) => {
    await services.accounts.revokeSession(principalOf(req), pathParam(req, 'id'), req.ip);
    res.status(204).end();
  });

  router.post('/me/password', requireAuth, requireJson, async (req, res) => {
    const body = validate(changePasswordBody, req.body);
    await services.accounts.changePassword(principalOf(req), body, req.ip ?? 'unknown');
    res.status(204).end();
  });

  return router;
}
