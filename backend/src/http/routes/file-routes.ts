import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { requireAuth } from '../middleware/authenticate.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';

/** RFC 6266 filename parameters: an ASCII fallback and the exact UTF-8 name. */
function dispositionHeader(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function fileRoutes(services: Services): Router {
  const router = Router();

  const serve = (variant: 'original' | 'thumbnail') =>
    async function serveFile(req: import('express').Request, res: import('express').Response) {
      const download = await services.files.open(principalOf(req), pathParam(req, 'fileId'), variant);
      const type = download.contentType.startsWith('text/')
        ? `${download.contentType}; charset=utf-8`
        : download.contentType;
      res.setHeader('Content-Type', type);
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
