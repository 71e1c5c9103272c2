import { describe, expect, test } from 'vitest';
import { messagesByApi, registerByApi, roomBySlug } from './support/api.js';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite } from './support/suite.js';
import {
  messagesWith,
  roomLink,
  sendMessage,
  signOut,
  signUp,
  waitForMessage,
  waitForRoom,
  waitForSent,
} from './support/ui.js';

describe.skipIf(!chromiumAvailable())('reloading without a network', () => {
  const suite = browserSuite();

  test('shows the app from what the device kept, queues what is written, and sends it once when back', async () => {
    const { url } = suite.server;
    const ben = await registerByApi(url, 'Ben');
    const general = await roomBySlug(url, ben, 'general');
    const ada = await suite.person('Ada');
    await signUp(ada, url);
    await ada.page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
      timeout: 15_000,
    });
    const before = `Kept for the way home ${Date.now()}`;
    await sendMessage(ada.page, before);
    await waitForSent(ada.page, before);

    await ada.context.setOffline(true);
    await ada.page.reload();
    // The app itself, not the browser's error page nor Parley's "You're offline" screen.
    await ada.page.getByRole('log', { name: 'Conversation in #general' }).waitFor();
    await waitForMessage(ada.page, before);
    await ada.page
      .getByTestId('offline-banner')
      .getByText('Offline: messages will be sent when you’re back.')
      .waitFor();
    await roomLink(ada.page, 'general').waitFor();

    const offline = `Written on the train ${Date.now()}`;
    await sendMessage(ada.page, offline);
    await messagesWith(ada.page, offline).first().waitFor();
    await ada.page.getByTestId('offline-banner').getByText('1 waiting to be sent.').waitFor();
    await screenshotIfAsked(ada.page, 'offline-reload');

    await ada.context.setOffline(false);
    await waitForRoom(ada.page, 'general');
    await waitForSent(ada.page, offline);
    await ada.page.getByTestId('offline-banner').waitFor({ state: 'detached' });

    // Once on the server, and once on screen, also after another reload (the outbox is empty).
    const count = async () =>
      (await messagesByApi(url, ben, general.id)).filter((message) => message.text === offline).length;
    expect(await count()).toBe(1);
    await ada.page.reload();
    await waitForRoom(ada.page, 'general');
    await waitForSent(ada.page, offline);
    await ada.page.waitForTimeout(1000);
    expect(await messagesWith(ada.page, offline).count()).toBe(1);
    expect(await count()).toBe(1);
  });

  test('signing out removes what the device kept: offline, the next load knows nobody', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada');
    await signUp(ada, url);
    await ada.page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
      timeout: 15_000,
    });
    const secret = `Only for Ada ${Date.now()}`;
    await sendMessage(ada.page, secret);
    await waitForSent(ada.page, secret);
    await ada.page.waitForFunction(() =>
      localStorage.getItem('parley:offline-copy:v1')?.includes('Only for Ada'),
    );

    await signOut(ada.page);
    const kept = await ada.page.evaluate(() =>
      Object.keys(localStorage).filter(
        (key) => key.startsWith('parley:offline') || key.startsWith('parley:outbox'),
      ),
    );
    expect(kept).toEqual([]);
    // Nothing of the chat is in the service worker's cache either: only the shell.
    const cached = await ada.page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys())
          urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    expect(cached.every((path) => path === '/index.html' || path.startsWith('/assets/'))).toBe(true);

    await ada.context.setOffline(true);
    await ada.page.reload();
    await ada.page.getByRole('heading', { name: 'You’re offline' }).waitFor();
    expect(await messagesWith(ada.page, secret).count()).toBe(0);
  });
});
