/** The caller's notification level per room (`PUT /rooms/:roomId/notifications`). */
import { notifyLevelBody } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function notificationRoutes(services: Services): Router {
  const router = Router();
  router.use('/rooms', requireAuth);

  router.put('/rooms/:roomId/notifications', requireJson, async (req, res) => {
    const { level } = validate(notifyLevelBody, req.body);
    const room = await services.notifications.set(principalOf(req), pathParam(req, 'roomId'), level);
    res.json({ room });
  });

  return router;
}
