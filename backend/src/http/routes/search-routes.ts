/** Search (`GET /search`) and permalinks (`GET /messages/:id`). */
import { searchQuery } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function searchRoutes(services: Services): Router {
  const router = Router();

  router.get('/search', requireAuth, async (req, res) => {
    const query = validate(searchQuery, req.query);
    res.json(await services.search.search(principalOf(req), query));
  });

  router.get('/messages/:messageId', requireAuth, async (req, res) => {
    res.json({ message: await services.permalinks.message(principalOf(req), pathParam(req, 'messageId')) });
  });

  return router;
}
