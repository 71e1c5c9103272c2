import { createDmBody, createRoomBody, memberRoleBody, updateRoomBody, usernameBody } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function membershipRoutes(services: Services): Router {
  const router = Router();
  router.use(['/rooms', '/dms', '/admin/users', '/admin/rooms'], requireAuth);

  router.post('/rooms', requireJson, async (req, res) => {
    const body = validate(createRoomBody, req.body);
    res.status(201).json({ room: await services.membership.create(principalOf(req), body) });
  });

  router.patch('/rooms/:roomId', requireJson, async (req, res) => {
    const body = validate(updateRoomBody, req.body);
    res.json({ room: await services.membership.update(principalOf(req), pathParam(req, 'roomId'), body) });
  });

  router.post('/rooms/:roomId/join', async (req, res) => {
    res.json({ room: await services.membership.join(principalOf(req), pathParam(req, 'roomId')) });
  });

  router.post('/rooms/:roomId/leave', async (req, res) => {
    await services.membership.leave(principalOf(req), pathParam(req, 'roomId'));
    res.status(204).end();
  });

  router.get('/rooms/:roomId/members', async (req, res) => {
    res.json({ members: await services.membership.members(principalOf(req), pathParam(req, 'roomId')) });
  });

  router.post('/rooms/:roomId/members', requireJson, async (req, res) => {
    const { username } = validate(usernameBody, req.body);
    const member = await services.membership.addMember(principalOf(req), pathParam(req, 'roomId'), username);
    res.status(201).json({ member });
  });

  router.patch('/rooms/:roomId/members/:userId', requireJson, async (req, res) => {
    const { role } = validate(memberRoleBody, req.body);
    const member = await services.membership.setRole(
      principalOf(req),
      pathParam(req, 'roomId'),
      pathParam(req, 'userId'),
      role,
    );
    res.json({ member });
  });

  router.delete('/rooms/:roomId/members/:userId', async (req, res) => {
    await services.membership.removeMember(
      principalOf(req),
      pathParam(req, 'roomId'),
      pathParam(req, 'userId'),
    );
    res.status(204).end();
  });

  router.post('/dms', requireJson, async (req, res) => {
    const body = validate(createDmBody, req.body);
    const { room, created } = await services.membership.openDm(principalOf(req), body);
    res.status(created ? 201 : 200).json({ room });
  });

  router.get('/admin/users', async (req, res) => {
    res.json({ users: await services.admin.users(principalOf(req)) });
  });

  router.post('/admin/users/:userId/deactivate', async (req, res) => {
    res.json({ user: await services.admin.deactivate(principalOf(req), pathParam(req, 'userId')) });
  });

  router.get('/admin/rooms', async (req, res) => {
    res.json({ rooms: await services.admin.rooms(principalOf(req)) });
  });

  return router;
}
