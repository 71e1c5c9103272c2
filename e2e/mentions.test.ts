/**
 * The Mentions inbox in the browser: B mentions A in a room A is not looking at; A sees the
 * count beside "Mentions", opens the panel, clicks the entry and lands on the message in its
 * room. Then the browser side of Web Push as far as it works without a push service (Chromium
 * here cannot reach one, so `pushManager.subscribe` is not exercised): the Settings section,
 * and the service worker's push and notificationclick handlers (sw-push.js), driven by
 * synthetic events: the notification it shows, and the tab it sends to the permalink.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  addMemberByApi,
  createRoomByApi,
  messagesByApi,
  postMessageByApi,
  registerByApi,
} from './support/api.js';
import { seriousAxeViolations } from './support/axe.js';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite, DESKTOP } from './support/suite.js';
import { signUp, waitForRoom } from './support/ui.js';

/** In both themes: axe finds nothing serious on the page; screenshots if asked. */
async function checkInBothThemes(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.waitForTimeout(250);
    // The whole page: the panel, the sidebar's Mentions entry and its unread room links.
    expect(await seriousAxeViolations(page), `${name} (${theme})`).toEqual([]);
    await screenshotIfAsked(page, `${name}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The parts of a service worker's global scope these checks use (the DOM lib has no worker types). */
interface WorkerScope {
  registration: { getNotifications(): Promise<{ title: string; body: string; data: unknown }[]> };
  dispatchEvent(event: Event): boolean;
  PushEvent: new (type: string, init: { data: string }) => Event;
  NotificationEvent: new (type: string, init: { notification: unknown }) => Event;
}

describe.skipIf(!chromiumAvailable())('the Mentions inbox in the browser', () => {
  const suite = browserSuite();

  test('B mentions A in another room; A opens Mentions, clicks, and lands on the message', async () => {
    const { url } = suite.server;
    const bea = await registerByApi(url, 'Bea');
    const slug = `design-${Date.now() % 100000}`;
    const room = await createRoomByApi(url, bea, { name: slug, slug, visibility: 'public' });
    await postMessageByApi(url, bea, room.id, 'Morning, everyone');

    const ada = await suite.person('Ada', DESKTOP, { bypassCSP: true });
    await signUp(ada, url);
    await addMemberByApi(url, bea, room.id, ada.username);
    const { page } = ada;
    const text = `@${ada.username} could you **review** the new header today?`;
    await postMessageByApi(url, bea, room.id, text);
    await expect
      .poll(async () => (await messagesByApi(url, bea, room.id)).some((m) => m.text === text), {
        timeout: 15_000,
      })
      .toBe(true);
    const target = (await messagesByApi(url, bea, room.id)).find((m) => m.text === text);

    // Still in #general: the sidebar's Mentions entry counts it.
    const entry = page.getByRole('button', { name: /^@?\s*Mentions/ });
    await expect.poll(() => entry.textContent(), { timeout: 15_000 }).toMatch(/Mentions\s*1\s*unread/);
    await entry.click();
    const panel = page.getByRole('complementary', { name: /Mentions/ });
    const item = panel.getByTestId('mention-entry');
    await item.first().waitFor();
    await expect(item.count()).resolves.toBe(1);
    await expect(item.textContent()).resolves.toContain('Bea');
    await expect(item.textContent()).resolves.toContain('could you review the new header');
    await expect(item.textContent()).resolves.toContain('Mentioned you');
    await checkInBothThemes(page, 'mentions-panel');

    await item.click();
    await page.waitForURL(`**/r/${slug}/m/${target?.id}`);
    await waitForRoom(page, slug);
    const shown = page.locator(`[data-message-id="${target?.id}"]`);
    await shown.waitFor();
    await expect.poll(() => shown.getAttribute('data-spotlight')).toBe('true');
    // Read now: the count goes away.
    await expect.poll(() => entry.textContent(), { timeout: 15_000 }).not.toMatch(/unread/);
  });

  test('Settings offers push on this device; the service worker shows a push and opens its link', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada', DESKTOP);
    await ada.context.grantPermissions(['notifications'], { origin: url });
    await signUp(ada, url);
    const { page, context } = ada;

    // The worker is Parley's own sw.js, which imports sw-push.js; it installs after the first load.
    await expect.poll(() => context.serviceWorkers().length, { timeout: 20_000 }).toBeGreaterThan(0);
    const worker = context.serviceWorkers()[0];
    if (!worker) throw new Error('no service worker');

    await page.getByRole('button', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Push notifications on this device' });
    await section.waitFor();
    await expect
      .poll(() => section.getByTestId('push-status').textContent(), { timeout: 15_000 })
      .toContain('even while Parley is closed');
    await section.getByRole('button', { name: 'Turn on push notifications' }).waitFor();
    await screenshotIfAsked(page, 'settings-push');
    await page.keyboard.press('Escape');

    // The tab is on #general; the push links to a permalink-like address there.
    await page.goto(`${url}/r/general`);
    await waitForRoom(page, 'general');
    const shown = await worker.evaluate(async () => {
      const scope = self as unknown as WorkerScope;
      const payload = {
        title: '#design · Bea',
        body: 'a pushed message',
        url: '/r/general?from=push',
        tag: 'room:x',
      };
      scope.dispatchEvent(new scope.PushEvent('push', { data: JSON.stringify(payload) }));
      for (let i = 0; i < 50; i++) {
        const [notification] = await scope.registration.getNotifications();
        if (notification)
          return { title: notification.title, body: notification.body, data: notification.data };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return null;
    });
    expect(shown).toEqual({
      title: '#design · Bea',
      body: 'a pushed message',
      data: { url: '/r/general?from=push' },
    });

    // A click takes the open tab to the link.
    await worker.evaluate(async () => {
      const scope = self as unknown as WorkerScope;
      const [notification] = await scope.registration.getNotifications();
      if (!notification) throw new Error('no notification');
      scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification }));
    });
    await expect.poll(() => new URL(page.url()).search, { timeout: 10_000 }).toBe('?from=push');
  });
});
