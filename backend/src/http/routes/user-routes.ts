/** People: looking them up by part of their name (GET /users?q=). */
import { usersQuery } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function userRoutes(services: Services): Router {
  const router = Router();
  router.get('/users', requireAuth, async (req, res) => {
    const { q } = validate(usersQuery, req.query);
    res.json({ users: await services.users.search(q) });
  });
  return router;
}
