/** Threads: a message's thread (its root and replies). Replies are sent as messages with replyTo. */
import { threadQuery } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function threadRoutes(services: Services): Router {
  const router = Router();
  router.use('/messages', requireAuth);

  router.get('/messages/:messageId/thread', async (req, res) => {
    const query = validate(threadQuery, req.query);
    res.json(await services.threads.thread(principalOf(req), pathParam(req, 'messageId'), query));
  });

  return router;
}
