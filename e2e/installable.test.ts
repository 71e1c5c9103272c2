import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite } from './support/suite.js';
import { openApp, sendMessage, signIn, signOut, signUp, waitForMessage, waitForRoom } from './support/ui.js';

describe.skipIf(!chromiumAvailable())('the web app as an installable, offline-tolerant app', () => {
  const suite = browserSuite();

  test('has a manifest with icons that load, served fresh', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada');
    await openApp(ada.page, url);
    const href = await ada.page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/manifest.webmanifest');
    const manifest = await fetch(`${url}${href}`);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
    const body = (await manifest.json()) as {
      name: string;
      start_url: string;
      icons: { src: string; purpose: string }[];
    };
    expect(body).toMatchObject({ name: 'Parley', start_url: '/' });
    expect(body.icons.map((icon) => icon.purpose)).toContain('maskable');
    for (const icon of body.icons) {
      const answer = await fetch(`${url}${icon.src}`);
      expect(answer.status, icon.src).toBe(200);
      expect(answer.headers.get('content-type'), icon.src).toMatch(/^image\//);
    }
  });

  // With a chat kept on the device, an offline reload shows the chat itself (offline.test.ts);
  // signed out, nothing is kept, and Parley's own offline screen shows.
  test('opened without a network and nothing kept, it shows its own offline screen and comes back by itself', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada');
    await signUp(ada, url);
    // The service worker installed on the first load now controls the page.
    await ada.page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
      timeout: 15_000,
    });
    const text = `Before going offline ${Date.now()}`;
    await sendMessage(ada.page, text);
    await waitForMessage(ada.page, text);

    await signOut(ada.page);

    await ada.context.setOffline(true);
    await ada.page.reload();
    // Parley's own screen, from the cached shell, not the browser's error page.
    await ada.page.getByRole('heading', { name: 'You’re offline' }).waitFor();
    await screenshotIfAsked(ada.page, 'offline-shell');

    await ada.context.setOffline(false);
    await signIn(ada, url);
    await waitForRoom(ada.page, 'general');
    await waitForMessage(ada.page, text);
  });
});
