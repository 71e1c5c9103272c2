import { editMessageBody, eventsQuery, messagesQuery } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function roomRoutes(services: Services): Router {
  const router = Router();
  router.use(['/rooms', '/messages'], requireAuth);

  router.get('/rooms', async (req, res) => {
    res.json({ rooms: await services.rooms.list(principalOf(req)) });
  });

  router.get('/rooms/:roomId', async (req, res) => {
    res.json({ room: await services.rooms.get(principalOf(req), pathParam(req, 'roomId')) });
  });

  router.get('/rooms/:roomId/messages', async (req, res) => {
    const query = validate(messagesQuery, req.query);
    res.json(await services.rooms.messages(principalOf(req), pathParam(req, 'roomId'), query));
  });

  router.get('/rooms/:roomId/events', async (req, res) => {
    const query = validate(eventsQuery, req.query);
    res.json(await services.rooms.events(principalOf(req), pathParam(req, 'roomId'), query));
  });

  router.patch('/messages/:messageId', requireJson, async (req, res) => {
    const { text } = validate(editMessageBody, req.body);
    res.json({ message: await services.messages.edit(principalOf(req), pathParam(req, 'messageId'), text) });
  });

  router.get('/messages/:messageId/receipts', async (req, res) => {
    res.json({ receipts: await services.messages.receipts(principalOf(req), pathParam(req, 'messageId')) });
  });

  router.delete('/messages/:messageId', async (req, res) => {
    await services.messages.delete(principalOf(req), pathParam(req, 'messageId'));
    res.status(204).end();
  });

  return router;
}
