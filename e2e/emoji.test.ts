/**
 * Emoji are drawn as Twemoji images served by our own server, the same on every platform: in
 * message text (not in code), in reaction chips and the quick row, large when a message is only
 * emoji. The full picker opens without a single Content-Security-Policy refusal.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite, DESKTOP, PHONE } from './support/suite.js';
import { TOUCH } from './support/touch.js';
import { sendMessage, signUp, waitForMessage } from './support/ui.js';

/** The alt, natural width and drawn height of every emoji image in `scope`, once all have loaded. */
async function loadedEmoji(scope: Locator): Promise<{ alt: string; naturalWidth: number; height: number }[]> {
  const images = scope.locator('img.emoji');
  await images.first().waitFor();
  await expect
    .poll(() => images.evaluateAll((all) => all.every((img) => (img as HTMLImageElement).complete)))
    .toBe(true);
  return images.evaluateAll((all) =>
    all.map((img) => {
      const image = img as HTMLImageElement;
      return {
        alt: image.alt,
        naturalWidth: image.naturalWidth,
        height: image.getBoundingClientRect().height,
      };
    }),
  );
}

/** Every Content-Security-Policy refusal the page logs from now on. */
function cspRefusals(page: Page): string[] {
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refusals.push(message.text());
  });
  return refusals;
}

describe.skipIf(!chromiumAvailable())('emoji as images', () => {
  const suite = browserSuite();

  test('messages, chips and the quick row draw emoji with images that load; code keeps the character', async () => {
    const ada = await suite.person('Ada', DESKTOP, { permissions: ['clipboard-read', 'clipboard-write'] });
    const refusals = cspRefusals(ada.page);
    await signUp(ada, suite.server.url);

    const marker = `Launch ${Date.now()}`;
    await sendMessage(ada.page, `${marker} 🚀 for 🇫🇷, the 👨‍👩‍👧‍👦 and 1️⃣ 👍🏽, not \`code 😀\``);
    const message = await waitForMessage(ada.page, marker);
    const drawn = await loadedEmoji(message.locator('.message__text'));
    expect(drawn.map((image) => image.alt)).toEqual(['🚀', '🇫🇷', '👨‍👩‍👧‍👦', '1️⃣', '👍🏽']);
    for (const image of drawn) expect(image.naturalWidth, image.alt).toBeGreaterThan(0);
    expect(await message.locator('code').textContent()).toBe('code 😀');
    expect(await message.locator('code img').count()).toBe(0);
    // Copying the text copies the characters: the images' alt.
    await message.locator('.message__text p').evaluate((paragraph) => {
      const range = document.createRange();
      range.selectNodeContents(paragraph);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
    });
    await ada.page.keyboard.press('ControlOrMeta+c');
    const copied = await ada.page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('🚀 for 🇫🇷, the 👨‍👩‍👧‍👦');

    // A message of emoji alone is drawn large.
    const jumboMarker = `Jumbo ${Date.now()}`;
    await sendMessage(ada.page, jumboMarker);
    await waitForMessage(ada.page, jumboMarker);
    await sendMessage(ada.page, '🎉 🙌');
    const jumbo = ada.page.locator('.message__text--jumbo').last();
    const big = await loadedEmoji(jumbo);
    expect(big.map((image) => image.alt)).toEqual(['🎉', '🙌']);
    expect(big[0]?.height).toBeGreaterThan(1.6 * (drawn[0]?.height ?? 0));

    // The quick row and the chip it makes.
    await message.hover();
    await message
      .getByRole('toolbar', { name: 'Actions' })
      .getByRole('button', { name: 'Add reaction' })
      .click();
    const popover = ada.page.getByRole('dialog', { name: 'Add reaction' });
    const quick = await loadedEmoji(popover);
    expect(quick.map((image) => image.alt)).toEqual(['👍', '❤️', '😂', '🎉', '😮', '🙏']);
    for (const image of quick) expect(image.naturalWidth, image.alt).toBeGreaterThan(0);
    await popover.getByRole('button', { name: 'React with red heart' }).click();
    const chip = message.locator('[data-testid="reaction-chip"][data-emoji="❤️"]');
    const [heart] = await loadedEmoji(chip);
    expect(heart?.naturalWidth).toBeGreaterThan(0);

    for (const scheme of ['light', 'dark'] as const) {
      await ada.page.emulateMedia({ colorScheme: scheme });
      await screenshotIfAsked(ada.page, `emoji-room-${scheme}`);
    }

    // The full picker opens without the CSP refusing any of its styles.
    await message.hover();
    await message
      .getByRole('toolbar', { name: 'Actions' })
      .getByRole('button', { name: 'Add reaction' })
      .click();
    await popover.getByRole('button', { name: 'More emoji' }).click();
    await popover
      .getByRole('menuitem', { name: /grinning face/ })
      .first()
      .waitFor();
    // Its emoji are drawn with the same images: each button's background, the glyph transparent.
    const grinning = popover.getByRole('menuitem', { name: /grinning face/ }).first();
    await expect
      .poll(() => grinning.evaluate((button) => getComputedStyle(button).backgroundImage))
      .toMatch(/url\(".*\/emoji\/[\d.]+\/1f600\.svg"\)/);
    const inPicker = await grinning.evaluate(async (button) => {
      const url = /url\("(.*)"\)/.exec(getComputedStyle(button).backgroundImage)?.[1] ?? '';
      return { status: (await fetch(url)).status, color: getComputedStyle(button).color };
    });
    expect(inPicker).toEqual({ status: 200, color: 'rgba(0, 0, 0, 0)' });
    await ada.page.waitForTimeout(500);
    await screenshotIfAsked(ada.page, 'emoji-picker');
    expect(refusals).toEqual([]);
    await ada.page.keyboard.press('Escape');
    await popover.waitFor({ state: 'detached' });

    // The composer's :shortcode: suggestions show the same images.
    await ada.page.getByRole('textbox', { name: 'Message', exact: true }).fill('lunch :tac');
    const suggestions = ada.page.getByRole('listbox', { name: 'Emoji' });
    const offered = await loadedEmoji(suggestions);
    expect(offered.map((image) => image.alt)).toContain('🌮');
    for (const image of offered) expect(image.naturalWidth, image.alt).toBeGreaterThan(0);
    await screenshotIfAsked(ada.page, 'emoji-suggestions');
  });

  test('on a phone, text, chips and search results draw emoji as images', async () => {
    const kim = await suite.person('Kim', PHONE, TOUCH);
    await signUp(kim, suite.server.url);
    const marker = `Phone ${Date.now()}`;
    await sendMessage(kim.page, `${marker} 🌮🌯 🫡`);
    const message = await waitForMessage(kim.page, marker);
    expect((await loadedEmoji(message)).every((image) => image.naturalWidth > 0)).toBe(true);
    for (const emoji of ['thumbs up', 'party popper']) {
      await kim.page.getByText(marker).tap();
      await message
        .getByRole('toolbar', { name: 'Actions' })
        .getByRole('button', { name: 'Add reaction' })
        .tap();
      await kim.page.getByRole('button', { name: `React with ${emoji}` }).tap();
    }
    await expect.poll(() => message.getByTestId('reaction-chip').count()).toBe(2);
    const chips = await loadedEmoji(message.locator('.reactions'));
    expect(chips.map((image) => image.alt)).toEqual(['👍', '🎉']);
    for (const scheme of ['light', 'dark'] as const) {
      await kim.page.emulateMedia({ colorScheme: scheme });
      await screenshotIfAsked(kim.page, `emoji-phone-${scheme}`);
    }

    // Search results show the message's reactions, drawn the same way.
    await kim.page.getByRole('button', { name: 'Search messages' }).tap();
    const field = kim.page.getByRole('searchbox', { name: 'Search messages' });
    await field.fill(marker);
    await field.press('Enter');
    const result = kim.page.getByTestId('search-result');
    const shown = await loadedEmoji(result);
    expect(shown.map((image) => image.alt)).toEqual(['🌮', '🌯', '🫡', '👍', '🎉']);
    for (const image of shown) expect(image.naturalWidth, image.alt).toBeGreaterThan(0);
    for (const scheme of ['light', 'dark'] as const) {
      await kim.page.emulateMedia({ colorScheme: scheme });
      await screenshotIfAsked(kim.page, `emoji-search-${scheme}`);
    }
  });
});
