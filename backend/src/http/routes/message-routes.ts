/** Messages: a room's history, edit, delete, and an author's receipts. Sending is POST /jobs. */
import { editMessageBody, messagesAroundQuery, messagesQuery } from '@parley/protocol';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

export function messageRoutes(services: Services): Router {
  const router = Router();
  router.use(['/rooms', '/messages'], requireAuth);

  router.get('/rooms/:roomId/messages', async (req, res) => {
    if (req.query.around !== undefined) {
      // A page centred on one message (permalinks): an addition to the contract's history.
      const around = validate(messagesAroundQuery, req.query);
      res.json(await services.permalinks.around(principalOf(req), pathParam(req, 'roomId'), around));
      return;
    }
    const query = validate(messagesQuery, req.query);
    res.json(await services.messages.page(principalOf(req), pathParam(req, 'roomId'), query));
  });

  router.patch('/messages/:messageId', requireJson, async (req, res) => {
    const { text } = validate(editMessageBody, req.body);
    res.json({ message: await services.messages.edit(principalOf(req), pathParam(req, 'messageId'), text) });
  });

  router.delete('/messages/:messageId', async (req, res) => {
    await services.messages.delete(principalOf(req), pathParam(req, 'messageId'));
    res.status(204).end();
  });

  router.get('/messages/:messageId/receipts', async (req, res) => {
    res.json({ receipts: await services.receipts.ofMessage(principalOf(req), pathParam(req, 'messageId')) });
  });

  return router;
}
