/**
 * What only an instance admin may do: every account and room, deactivation, the dead letter
 * queue, the audit log.
 */
import { auditQuery } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function adminRoutes(services: Services): Router {
  const router = Router();
  // Only the API's own paths: `/admin/failed-jobs` and `/admin/audit-log` are the web app's
  // pages, served after these (`/admin/audit` matches whole path segments, not `audit-log`).
  router.use(['/admin/users', '/admin/rooms', '/admin/dlq', '/admin/audit'], requireAuth);

  router.get('/admin/users', async (req, res) => {
    res.json({ users: await services.admin.users(principalOf(req)) });
  });

  router.post('/admin/users/:userId/deactivate', async (req, res) => {
    res.json({
      user: await services.admin.deactivate(principalOf(req), pathParam(req, 'userId'), req.ip),
    });
  });

  router.get('/admin/rooms', async (req, res) => {
    res.json({ rooms: await services.admin.rooms(principalOf(req)) });
  });

  router.get('/admin/dlq', async (req, res) => {
    res.json({ jobs: await services.jobs.deadLetters(principalOf(req)) });
  });

  router.post('/admin/dlq/:jobId/retry', async (req, res) => {
    res
      .status(202)
      .json({ job: await services.jobs.retryDeadLetter(principalOf(req), pathParam(req, 'jobId'), req.ip) });
  });

  router.get('/admin/audit', async (req, res) => {
    res.json(await services.admin.auditLog(principalOf(req), validate(auditQuery, req.query)));
  });

  return router;
}
