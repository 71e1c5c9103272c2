/**
 * The web app's Twemoji images are served by the server from the built app (`dist/emoji/`), under
 * a versioned path, cached as immutable; an emoji that is not there is a 404, never the app's page.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"><circle cx="18" cy="18" r="18"/></svg>';

/** A built web app stand-in with one emoji image. */
const webDist = mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
mkdirSync(path.join(webDist, 'emoji', '15.0.0'), { recursive: true });
writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><html><body></body></html>');
writeFileSync(path.join(webDist, 'emoji', '15.0.0', '1f600.svg'), SVG);

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ env: { WEB_DIST_DIR: webDist } });
});

afterAll(async () => {
  await server?.dispose();
  rmSync(webDist, { recursive: true, force: true });
});

describe('emoji images', () => {
  it('are served as SVG, cached for a year as immutable', async () => {
    const image = await request(server, '/emoji/15.0.0/1f600.svg', { headers: { accept: 'image/*' } });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answer 404 for an unknown emoji or version, even to a browser asking for a page', async () => {
    for (const pathname of ['/emoji/15.0.0/1f9ff.svg', '/emoji/14.0.0/1f600.svg', '/emoji/']) {
      const answer = await request(server, pathname, { headers: { accept: 'text/html' } });
      expect(answer.status, pathname).toBe(404);
      expect(answer.headers.get('content-type') ?? '', pathname).not.toMatch(/html/);
    }
  });
});
