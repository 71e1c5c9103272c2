/*
 * Web Push in Parley's service worker (imported by sw.js): shows what the server pushed, and
 * opens its permalink on a click. The payload is JSON `{title, body, url, tag}` (see
 * docs/api/notifications.md); the server sends a push only while no tab of the user is
 * connected, so there is no need to ask the open tabs first.
 */
self.addEventListener('push', (event) => {
  let push;
  try {
    push = event.data ? event.data.json() : null;
  } catch {
    push = null;
  }
  const title = push && typeof push.title === 'string' ? push.title : 'Parley';
  const url = push && typeof push.url === 'string' && push.url.startsWith('/') ? push.url : '/';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: push && typeof push.body === 'string' ? push.body : 'New activity',
      tag: push && typeof push.tag === 'string' ? push.tag : undefined,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url ?? '/', self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      // A Parley tab is reused: it navigates to the message (the app reads /r/<slug>/m/<id>).
      for (const client of windows) {
        if (new URL(client.url).origin !== self.location.origin) continue;
        // Focusing needs the click's user activation; without it (or for a tab this worker does
        // not control, which cannot be navigated) the tab is still taken to the message.
        await client.focus().catch(() => {});
        const navigated = await client.navigate(url).catch(() => null);
        if (navigated) return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
