/** The Mentions inbox (`GET /mentions`) and Web Push subscriptions (`/push/...`). */
import { mentionsQuery, pushSubscriptionBody, pushUnsubscribeBody } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function inboxRoutes(services: Services): Router {
  const router = Router();

  router.get('/mentions', requireAuth, async (req, res) => {
    const query = validate(mentionsQuery, req.query);
    res.json(await services.mentions.list(principalOf(req), query));
  });

  router.get('/push/vapid-public-key', requireAuth, (_req, res) => {
    res.json({ publicKey: services.push.publicKey });
  });

  router.post('/push/subscriptions', requireAuth, requireJson, async (req, res) => {
    const body = validate(pushSubscriptionBody, req.body);
    await services.push.subscribe(principalOf(req), body);
    res.status(204).end();
  });

  router.delete('/push/subscriptions', requireAuth, requireJson, async (req, res) => {
    const { endpoint } = validate(pushUnsubscribeBody, req.body);
    await services.push.unsubscribe(principalOf(req), endpoint);
    res.status(204).end();
  });

  return router;
}
