/**
 * One's own profile (`PATCH /me`, `PUT`/`DELETE /me/avatar`) and everyone's avatars
 * (`GET /users/:userId/avatar/:version`). See docs/api/profiles.md.
 */
import { pipeline } from 'node:stream/promises';
import { AVATAR, updateProfileBody } from '@parley/protocol';
import { type Request, Router } from 'express';
import { AppError } from '../../core/errors.js';
import { requireAuth } from '../middleware/authenticate.js';
import { requireJson } from '../middleware/require-json.js';
import { readBodyUpTo } from '../raw-body.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

/** The image is the body itself; what it really is, is sniffed from the bytes. */
const isImageBody = (req: Request) => Boolean(req.is(['image/*', 'application/octet-stream']));

export function profileRoutes(services: Services): Router {
  const router = Router();

  router.patch('/me', requireAuth, requireJson, async (req, res) => {
    const { displayName } = validate(updateProfileBody, req.body);
    res.json({ user: await services.profiles.rename(principalOf(req), displayName) });
  });

  router.put('/me/avatar', requireAuth, async (req, res) => {
    if (!isImageBody(req)) {
      throw new AppError(
        'unsupported_media_type',
        'Send the image itself as the body, with Content-Type image/png, image/jpeg, image/webp or image/gif.',
      );
    }
    const bytes = await readBodyUpTo(req, AVATAR.maxBytes);
    res.json({ user: await services.profiles.setAvatar(principalOf(req), bytes) });
  });

  router.delete('/me/avatar', requireAuth, async (req, res) => {
    res.json({ user: await services.profiles.removeAvatar(principalOf(req)) });
  });

  router.get('/users/:userId/avatar/:version', requireAuth, async (req, res) => {
    const size = req.query.size === 'small' ? 'small' : 'large';
    const image = await services.profiles.openAvatar(
      pathParam(req, 'userId'),
      pathParam(req, 'version'),
      size,
    );
    res.setHeader('Content-Type', 'image/webp');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    // A version's bytes never change (a new picture is a new version): cache for good, but
    // only in the browser, since seeing it takes a signed-in session.
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    await pipeline(image.body, res);
  });

  return router;
}
