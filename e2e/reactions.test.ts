import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { postMessageByApi, registerByApi, roomBySlug } from './support/api.js';
import { seriousAxeViolations } from './support/axe.js';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite, DESKTOP, PHONE } from './support/suite.js';
import { sendMessage, signUp, waitForMessage } from './support/ui.js';

/** The chip of one emoji under a message, or nothing when nobody reacted with it. */
function chip(message: Locator, emoji: string): Locator {
  return message.locator(`[data-testid="reaction-chip"][data-emoji="${emoji}"]`);
}

/** Hovers the message and opens its "Add reaction" popover from the toolbar. */
async function openReactions(page: Page, message: Locator): Promise<Locator> {
  await message.hover();
  await message
    .getByRole('toolbar', { name: 'Actions' })
    .getByRole('button', { name: 'Add reaction' })
    .click();
  const popover = page.getByRole('dialog', { name: 'Add reaction' });
  await popover.waitFor();
  return popover;
}

async function expectChip(message: Locator, emoji: string, count: number, pressed: boolean, who: string) {
  const target = chip(message, emoji);
  await expect.poll(() => target.getAttribute('aria-label')).toBe(`${emoji} ${count}`);
  expect(await target.getAttribute('aria-pressed')).toBe(String(pressed));
  // The tooltip is hidden until hover or focus, so it is found by its role attribute, not by ARIA.
  expect(await target.locator('[role="tooltip"]').textContent()).toBe(who);
}

describe.skipIf(!chromiumAvailable())('reactions in the browser against the real server', () => {
  const suite = browserSuite();

  test('one person reacts, the other sees the chip live with count and who; toggling off removes it', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada');
    const bo = await suite.person('Bo');
    await signUp(ada, url);
    await signUp(bo, url);

    const text = `Lunch at noon? ${Date.now()}`;
    await sendMessage(ada.page, text);
    const onBo = await waitForMessage(bo.page, text);
    const onAda = await waitForMessage(ada.page, text);

    // Bo reacts from the quick row.
    const popover = await openReactions(bo.page, onBo);
    await popover.getByRole('button', { name: 'React with thumbs up' }).click();
    await popover.waitFor({ state: 'detached' });
    await expectChip(onBo, '👍', 1, true, 'You reacted with 👍');
    // Ada sees it live, with who reacted.
    await expectChip(onAda, '👍', 1, false, 'Bo reacted with 👍');

    // Ada joins in by clicking the chip.
    await chip(onAda, '👍').click();
    await expectChip(onAda, '👍', 2, true, 'You and Bo reacted with 👍');
    await expectChip(onBo, '👍', 2, true, 'You and Ada reacted with 👍');

    // The full picker: search for an emoji by name and pick it.
    const full = await openReactions(bo.page, onBo);
    await full.getByRole('button', { name: 'More emoji' }).click();
    const search = full.getByRole('combobox', { name: 'Search' });
    await search.waitFor();
    await expect
      .poll(() => search.evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement))
      .toBe(true);
    await search.fill('rocket');
    await full
      .getByRole('option', { name: /rocket/ })
      .first()
      .click();
    await full.waitFor({ state: 'detached' });
    await expectChip(onAda, '🚀', 1, false, 'Bo reacted with 🚀');
    // On a touch phone the toolbar is always shown: see where "Add reaction" sits.
    const kim = await suite.person('Kim', PHONE, { hasTouch: true, isMobile: true });
    await signUp(kim, url);
    await expectChip(await waitForMessage(kim.page, text), '🚀', 1, false, 'Bo reacted with 🚀');
    await screenshotIfAsked(kim.page, 'reactions-touch');
    await ada.page.emulateMedia({ colorScheme: 'light' });
    await screenshotIfAsked(ada.page, 'reactions-light');
    await ada.page.emulateMedia({ colorScheme: 'dark' });
    await screenshotIfAsked(ada.page, 'reactions-dark');

    // Escape closes the picker and gives focus back to the button that opened it.
    const again = await openReactions(bo.page, onBo);
    await again.getByRole('button', { name: 'More emoji' }).click();
    await again.getByRole('combobox', { name: 'Search' }).waitFor();
    await again
      .getByRole('menuitem', { name: /grinning face/ })
      .first()
      .waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await bo.page.emulateMedia({ colorScheme: scheme });
      await screenshotIfAsked(bo.page, `reaction-picker-${scheme}`);
    }
    await bo.page.keyboard.press('Escape');
    await again.waitFor({ state: 'detached' });
    expect(
      await bo.page.evaluate(
        () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName,
      ),
    ).toBe('Add reaction');

    // Toggling off: Bo takes both back, Ada takes hers back; the chips go away for both.
    await chip(onBo, '🚀').click();
    await expect.poll(() => chip(onAda, '🚀').count()).toBe(0);
    await chip(onBo, '👍').click();
    await expectChip(onAda, '👍', 1, true, 'You reacted with 👍');
    await chip(onAda, '👍').click();
    await expect.poll(() => chip(onBo, '👍').count()).toBe(0);
    await expect.poll(() => chip(onAda, '👍').count()).toBe(0);
  });

  test('chips and the quick row pass axe in the light and the dark theme', async () => {
    const { url } = suite.server;
    const grace = await registerByApi(url, 'Grace');
    const general = await roomBySlug(url, grace, 'general');
    const text = `Axe me ${Date.now()}`;
    // The app's CSP refuses injected scripts; axe is one, so this context lets it in.
    const lin = await suite.person('Lin', DESKTOP, { bypassCSP: true });
    await signUp(lin, url);
    await postMessageByApi(url, grace, general.id, text);
    const message = await waitForMessage(lin.page, text);
    const [{ id }] = (
      await (
        await fetch(`${url}/rooms/${general.id}/messages?limit=5`, {
          headers: { authorization: `Bearer ${grace.token}` },
        })
      ).json()
    ).messages.filter((m: { text: string }) => m.text === text);
    for (const emoji of ['👍', '🎉']) {
      const put = await fetch(`${url}/messages/${id}/reactions/${encodeURIComponent(emoji)}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${grace.token}` },
      });
      expect(put.status).toBe(200);
    }
    await chip(message, '🎉').waitFor();
    await chip(message, '👍').click();
    await expectChip(message, '👍', 2, true, 'You and Grace reacted with 👍');

    const popover = await openReactions(lin.page, message);
    for (const theme of ['light', 'dark'] as const) {
      await lin.page.emulateMedia({ colorScheme: theme });
      await lin.page.waitForTimeout(250);
      expect(await seriousAxeViolations(lin.page), `open popover (${theme})`).toEqual([]);
    }
    await lin.page.keyboard.press('Escape');
    await popover.waitFor({ state: 'detached' });
    for (const theme of ['light', 'dark'] as const) {
      await lin.page.emulateMedia({ colorScheme: theme });
      await lin.page.waitForTimeout(250);
      expect(await seriousAxeViolations(lin.page), `chips (${theme})`).toEqual([]);
    }
  });
});
