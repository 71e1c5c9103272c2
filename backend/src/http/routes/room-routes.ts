/** Rooms: the directory, create and change, join and leave, and each room's log. */
import { createRoomBody, eventsQuery, updateRoomBody } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function roomRoutes(services: Services): Router {
  const router = Router();
  router.use('/rooms', requireAuth);

  router.get('/rooms', async (req, res) => {
    res.json({ rooms: await services.rooms.list(principalOf(req)) });
  });

  router.post('/rooms', requireJson, async (req, res) => {
    const body = validate(createRoomBody, req.body);
    res.status(201).json({ room: await services.rooms.create(principalOf(req), body) });
  });

  router.get('/rooms/:roomId', async (req, res) => {
    res.json({ room: await services.rooms.get(principalOf(req), pathParam(req, 'roomId')) });
  });

  router.patch('/rooms/:roomId', requireJson, async (req, res) => {
    const body = validate(updateRoomBody, req.body);
    res.json({ room: await services.rooms.update(principalOf(req), pathParam(req, 'roomId'), body) });
  });

  router.get('/rooms/:roomId/events', async (req, res) => {
    const query = validate(eventsQuery, req.query);
    res.json(await services.rooms.events(principalOf(req), pathParam(req, 'roomId'), query));
  });

  router.post('/rooms/:roomId/join', async (req, res) => {
    res.json({ room: await services.rooms.join(principalOf(req), pathParam(req, 'roomId')) });
  });

  router.post('/rooms/:roomId/leave', async (req, res) => {
    await services.rooms.leave(principalOf(req), pathParam(req, 'roomId'));
    res.status(204).end();
  });

  return router;
}
