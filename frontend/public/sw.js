/*
 * Parley's service worker: the offline app shell. It keeps the last web app it served (the page
 * and its hashed assets) so that opening Parley without a network shows the app instead of the
 * browser's error page. The app then draws the signed-in user's chat from the copy it keeps in
 * localStorage (`src/state/offlineCopy.ts`), or, with none, says it cannot reach the server; it
 * reconnects by itself either way.
 *
 * It never touches the API, the WebSocket or files: API answers are never put in this Cache (the
 * chat's copy is the app's, per user, removed on sign-out); only the shell is cached. Pages are
 * network-first (a new deploy is picked up on the next load), hashed assets cache-first (their
 * names change when their content does).
 */
importScripts('/sw-push.js');

const SHELL_CACHE = 'parley-shell-v1';
const PAGE = '/index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== SHELL_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirstPage(request));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  }
});

async function cacheShell() {
  const page = await fetch(PAGE, { cache: 'no-cache' });
  if (page.ok) await keepShell(page);
}

/**
 * Keeps this page and the scripts and styles it names, so the next load works offline. When the
 * page changed (a new version was deployed), the previous version's assets are dropped; chunks
 * loaded later (the emoji picker) are cached again when first used.
 */
async function keepShell(page) {
  const cache = await caches.open(SHELL_CACHE);
  const html = await page.clone().text();
  const previous = await cache.match(PAGE);
  if (previous && (await previous.text()) === html) return;
  await cache.put(PAGE, page);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !assets.includes(path)) await cache.delete(request);
  }
  await Promise.all(assets.map((asset) => cache.add(asset).catch(() => undefined)));
}

async function networkFirstPage(request) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && type.startsWith('text/html')) await keepShell(response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(PAGE);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
