/** A room's members: list, add, change a role, remove. */
import { memberRoleBody, usernameBody } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function memberRoutes(services: Services): Router {
  const router = Router();
  router.use('/rooms', requireAuth);

  router.get('/rooms/:roomId/members', async (req, res) => {
    res.json({ members: await services.members.list(principalOf(req), pathParam(req, 'roomId')) });
  });

  router.post('/rooms/:roomId/members', requireJson, async (req, res) => {
    const { username } = validate(usernameBody, req.body);
    const member = await services.members.add(principalOf(req), pathParam(req, 'roomId'), username);
    res.status(201).json({ member });
  });

  router.patch('/rooms/:roomId/members/:userId', requireJson, async (req, res) => {
    const { role } = validate(memberRoleBody, req.body);
    const member = await services.members.setRole(
      principalOf(req),
      pathParam(req, 'roomId'),
      pathParam(req, 'userId'),
      role,
      req.ip,
    );
    res.json({ member });
  });

  router.delete('/rooms/:roomId/members/:userId', async (req, res) => {
    await services.members.remove(
      principalOf(req),
      pathParam(req, 'roomId'),
      pathParam(req, 'userId'),
      req.ip,
    );
    res.status(204).end();
  });

  return router;
}
