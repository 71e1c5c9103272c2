/**
 * Search and permalinks in the browser: a person searches part of a link, sees the result with
 * the match marked, clicks it, and the message is shown in its room with its history around it,
 * spotlighted; the permalink's address works on a fresh load too.
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

/** In both themes, as the system would ask for them: axe finds nothing serious; screenshots if asked. */
async function checkInBothThemes(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    // Colours ease over 0.15s on some controls: let them settle before judging contrast.
    await page.waitForTimeout(250);
    expect(await seriousAxeViolations(page), `${name} (${theme})`).toEqual([]);
    await screenshotIfAsked(page, `${name}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe.skipIf(!chromiumAvailable())('search and permalinks in the browser', () => {
  const suite = browserSuite();

  test('a substring finds the message, marked; a click opens it in context in its room', async () => {
    const { url } = suite.server;
    const bot = await registerByApi(url, 'Release Bot');
    const slug = `releases-${Date.now() % 100000}`;
    const room = await createRoomByApi(url, bot, { name: slug, slug, visibility: 'public' });
    const target = 'Deploy notes for v1.2.3 are at https://example.com/path/notes, read them first';
    await postMessageByApi(url, bot, room.id, 'Before the notes: the plan is ready');
    await postMessageByApi(url, bot, room.id, target);
    // Enough later messages that the target is not on the room's newest page.
    for (let i = 1; i <= 70; i++) await postMessageByApi(url, bot, room.id, `Later chatter number ${i}`);
    await expect
      .poll(async () => (await messagesByApi(url, bot, room.id)).length, { timeout: 20_000 })
      .toBe(72);
    const targetId = (await messagesByApi(url, bot, room.id)).find((m) => m.text === target)?.id;
    expect(targetId).toBeDefined();

    // The app's CSP refuses injected scripts; axe is one, so this context lets it in.
    const ada = await suite.person('Ada', DESKTOP, { bypassCSP: true });
    await signUp(ada, url);
    await addMemberByApi(url, bot, room.id, ada.username);
    const { page } = ada;

    await page.getByRole('button', { name: 'Search messages' }).click();
    const field = page.getByRole('searchbox', { name: 'Search messages' });
    await field.fill('ample.com/pa');
    await field.press('Enter');
    const result = page.getByTestId('search-result');
    await result.first().waitFor();
    await expect(result.count()).resolves.toBe(1);
    await expect(result.locator('mark').allTextContents()).resolves.toEqual(['ample.com/pa']);
    await expect(result.textContent()).resolves.toContain('Release Bot');
    await expect(result.textContent()).resolves.toContain(slug);
    await checkInBothThemes(page, 'search-results');

    await result.click();
    await page.waitForURL(`**/r/${slug}/m/${targetId}`);
    await waitForRoom(page, slug);
    const shown = page.locator(`[data-message-id="${targetId}"]`);
    await shown.waitFor();
    await expect.poll(() => shown.getAttribute('data-spotlight')).toBe('true');
    await expect.poll(() => shown.isVisible()).toBe(true);
    // In context: the message before it and the ones after it are there too.
    await page.getByText('Before the notes: the plan is ready').waitFor();
    await page.getByText('Later chatter number 1', { exact: true }).waitFor();
    await expect.poll(() => inViewport(page, `[data-message-id="${targetId}"]`)).toBe(true);
    await page.getByRole('button', { name: 'Close search' }).click();
    await checkInBothThemes(page, 'permalink');

    // A fresh load of the permalink shows the message the same way.
    await page.goto(`${url}/r/${slug}/m/${targetId}`);
    await waitForRoom(page, slug);
    await shown.waitFor();
    await expect.poll(() => inViewport(page, `[data-message-id="${targetId}"]`)).toBe(true);
    await expect.poll(() => shown.getAttribute('data-spotlight')).toBe('true');
    expect(new URL(page.url()).pathname).toBe(`/r/${slug}/m/${targetId}`);
  });
});

/** Whether the element is within the timeline's visible part, not just in the page. */
function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((css) => {
    const element = document.querySelector(css);
    const list = element?.closest('.message-list');
    if (!element || !list) return false;
    const box = element.getBoundingClientRect();
    const view = list.getBoundingClientRect();
    return box.top >= view.top && box.bottom <= view.bottom;
  }, selector);
}
