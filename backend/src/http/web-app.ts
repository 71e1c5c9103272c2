/** Serves the built web app, with deep links (/r/<slug>) answered by its index.html. */
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';
import { AppError } from '../core/errors.js';

/**
 * First path segments of the API. Below them only the web app's own client routes get its
 * index.html; anything else is the API's JSON 404 (`/jobs/`, `/rooms//messages`), never a page
 * that answers 200 to a script expecting JSON.
 */
const API_SEGMENTS = new Set([
  'admin',
  'auth',
  'dms',
  'files',
  'healthz',
  'jobs',
  'me',
  'mentions',
  'messages',
  'metrics',
  'push',
  'readyz',
  'rooms',
  'search',
  'users',
  'ws',
]);
const NOT_CACHED = new Set(['sw.js', 'sw-push.js', 'manifest.webmanifest', 'index.html']);
const CLIENT_ROUTES_UNDER_API = new Set(['/admin/failed-jobs', '/admin/audit-log']);

function isClientRoute(pathname: string): boolean {
  const segment = pathname.split('/')[1] ?? '';
  return !API_SEGMENTS.has(segment) || CLIENT_ROUTES_UNDER_API.has(pathname);
}

/**
 * `documentHeaders` runs on the HTML document only (the app's Content-Security-Policy); scripts,
 * styles and images keep the headers every answer has.
 */
export function webAppRoutes(distDir: string, documentHeaders: RequestHandler): Router | undefined {
  const index = path.join(distDir, 'index.html');
  if (!fs.existsSync(index)) return undefined;
  const router = Router();
  // A hashed asset from an older deploy is a 404 (as a typed error, so it is the contract's
  // JSON 404 and not a 500), never the app's page.
  router.use('/assets', express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '1y' }));
  router.use('/assets', () => {
    throw new AppError('not_found', 'No such asset.');
  });
  // Twemoji's images, under a path named after their version (`/emoji/15.0.0/1f600.svg`), so
  // they are as immutable as the hashed assets; an unknown emoji is a 404, never the app's page.
  router.use('/emoji', express.static(path.join(distDir, 'emoji'), { immutable: true, maxAge: '1y' }));
  router.use('/emoji', () => {
    throw new AppError('not_found', 'No such emoji image.');
  });
  router.use(
    express.static(distDir, {
      index: false,
      maxAge: '1h',
      setHeaders: (res, file) => {
        // `/index.html` asked for by name is the same document.
        if (file.endsWith('.html') && res.req) documentHeaders(res.req, res, () => {});
        // The service worker and the manifest are looked for again on every load: a deploy that
        // changes them must reach every browser at once, not in an hour.
        if (NOT_CACHED.has(path.basename(file))) res.setHeader('Cache-Control', 'no-cache');
        // A worker runs under its script's own policy: every answer's `default-src 'none'` would
        // forbid it to fetch the app shell it keeps for offline use, or to import its push
        // handlers (`importScripts('/sw-push.js')`, a script of our own origin).
        if (path.basename(file) === 'sw.js') {
          res.setHeader(
            'Content-Security-Policy',
            "default-src 'none'; connect-src 'self'; script-src 'self'",
          );
        }
      },
    }),
  );
  const spa: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!req.accepts('html') || !isClientRoute(req.path)) return next();
    documentHeaders(req, res, (error?: unknown) => {
      if (error) return next(error);
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  };
  router.use(spa);
  return router;
}
