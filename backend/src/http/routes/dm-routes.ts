/** Direct messages: open (or find) the one room of a set of people. */
import { createDmBody } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function dmRoutes(services: Services): Router {
  const router = Router();

  router.post('/dms', requireAuth, requireJson, async (req, res) => {
    const body = validate(createDmBody, req.body);
    const { room, created } = await services.directMessages.open(principalOf(req), body);
    res.status(created ? 201 : 200).json({ room });
  });

  return router;
}
