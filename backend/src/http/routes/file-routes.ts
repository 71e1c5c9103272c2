import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { contentTypeHeader, dispositionHeader } from '../../core/files/download-headers.js';
import { requireAuth } from '../middleware/authenticate.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';

export function fileRoutes(services: Services): Router {
  const router = Router();

  const serve = (variant: 'original' | 'thumbnail') =>
    async function serveFile(req: import('express').Request, res: import('express').Response) {
      const download = await services.files.open(principalOf(req), pathParam(req, 'fileId'), variant);
      if (download.kind === 'link') {
        // The link is a bearer credential for a few minutes: no cache may keep or share it.
        res.status(302);
        res.setHeader('Location', download.url);
        res.setHeader('Cache-Control', 'private, no-store');
        res.end();
        return;
      }
      res.setHeader('Content-Type', contentTypeHeader(download.contentType));
      if (download.size !== undefined) res.setHeader('Content-Length', String(download.size));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
      );
      res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
      res.setHeader('Content-Disposition', dispositionHeader(download.disposition, download.file.fileName));
      await pipeline(download.body, res);
    };

  router.get('/files/:fileId', requireAuth, serve('original'));
  router.get('/files/:fileId/thumbnail', requireAuth, serve('thumbnail'));
  return router;
}
