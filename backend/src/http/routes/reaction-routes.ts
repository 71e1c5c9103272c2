/**
 * Emoji reactions on a message. The emoji is a path segment, percent-encoded UTF-8
 * (`/messages/<id>/reactions/%F0%9F%91%8D`); Express decodes it before it is checked.
 */
import { reactionParams } from '@parley/protocol';
import type { Request } from 'express';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

/** The message id and the emoji of the path, the emoji checked to be exactly one emoji. */
function target(req: Request): { messageId: string; emoji: string } {
  const { emoji } = validate(reactionParams, { emoji: pathParam(req, 'emoji') });
  return { messageId: pathParam(req, 'messageId'), emoji };
}

export function reactionRoutes(services: Services): Router {
  const router = Router();
  router.use('/messages', requireAuth);

  // Idempotent: reacting again is not an error and appends nothing; either way the answer is
  // the message's reactions as they now are, so a client can settle its chips at once.
  router.put('/messages/:messageId/reactions/:emoji', async (req, res) => {
    const { messageId, emoji } = target(req);
    res.json({ reactions: await services.reactions.add(principalOf(req), messageId, emoji) });
  });

  router.delete('/messages/:messageId/reactions/:emoji', async (req, res) => {
    const { messageId, emoji } = target(req);
    await services.reactions.remove(principalOf(req), messageId, emoji);
    res.status(204).end();
  });

  return router;
}
