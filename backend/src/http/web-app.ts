/** Serves the built web app, with deep links (/r/<slug>) answered by its index.html. */
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';

export function webAppRoutes(distDir: string): Router | undefined {
  const index = path.join(distDir, 'index.html');
  if (!fs.existsSync(index)) return undefined;
  const router = Router();
  router.use(
    '/assets',
    express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  router.use(express.static(distDir, { index: false, maxAge: '1h' }));
  const spa: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  router.use(spa);
  return router;
}
