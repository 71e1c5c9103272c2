import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  API_PASSWORD,
  addMemberByApi,
  createRoomByApi,
  postMessageByApi,
  registerByApi,
} from './support/api.js';
import { chromiumAvailable } from './support/browser.js';
import { makePng } from './support/images.js';
import { browserSuite } from './support/suite.js';
import { openApp, roomLink, waitForMessage, waitForRoom, waitForSent } from './support/ui.js';

/** What has focus: its accessible name as a screen reader would start to say it. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element) return '';
    const label = element instanceof HTMLInputElement ? element.labels?.[0]?.textContent?.trim() : undefined;
    return (
      element.getAttribute('aria-label') ??
      label ??
      element.getAttribute('placeholder') ??
      element.textContent?.trim() ??
      ''
    );
  });
}

/** Presses Tab (or Shift+Tab) until the focused control's name matches, as a keyboard user would. */
async function tabTo(page: Page, name: RegExp, direction: 'forward' | 'back' = 'forward'): Promise<void> {
  const key = direction === 'forward' ? 'Tab' : 'Shift+Tab';
  const seen: string[] = [];
  for (let n = 0; n < 40; n++) {
    await page.keyboard.press(key);
    const now = await focusedName(page);
    if (name.test(now)) return;
    seen.push(now);
  }
  throw new Error(`${key} never reached ${name}; it went through: ${seen.join(' | ')}`);
}

describe.skipIf(!chromiumAvailable())('the main flow with the keyboard alone', () => {
  const suite = browserSuite();

  test('sign in, switch room, send, react, reply in a thread, upload and leave', async () => {
    const { url } = suite.server;
    const ben = await registerByApi(url, 'Ben');
    const ada = await registerByApi(url, 'Ada');
    const slug = `keys-${Date.now().toString(36)}`;
    const room = await createRoomByApi(url, ben, { name: slug, slug, visibility: 'private' });
    await addMemberByApi(url, ben, room.id, ada.user.username);
    await postMessageByApi(url, ben, room.id, 'Welcome, keyboard people');

    const person = await suite.person('Ada');
    const { page } = person;
    await openApp(page, url);
    // Sign in: the username field has focus on a fresh page.
    await page.getByLabel('Username', { exact: true }).waitFor();
    await expect.poll(() => focusedName(page)).toBe('Username');
    await page.keyboard.type(ada.user.username);
    await tabTo(page, /^Password/);
    await page.keyboard.type(API_PASSWORD);
    await page.keyboard.press('Enter');
    await waitForRoom(page, 'general');

    // Switch room: Ctrl+K, a few letters, Enter; the message box has focus there.
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Find a room or a person' }).waitFor();
    await page.keyboard.type(slug);
    await page.keyboard.press('Enter');
    await waitForRoom(page, slug);
    await waitForMessage(page, 'Welcome, keyboard people');
    await expect.poll(() => focusedName(page)).toBe('Message');

    const text = `Typed with keys only ${Date.now()}`;
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await waitForSent(page, text);

    // React: back to the conversation, Up to the newest message, Tab to "Add reaction".
    await tabTo(page, /^Conversation in/, 'back');
    await page.keyboard.press('ArrowUp');
    await tabTo(page, /^Add reaction$/);
    await page.keyboard.press('Enter');
    await page.getByRole('toolbar', { name: 'Quick reactions' }).waitFor();
    await tabTo(page, /^React with/);
    await page.keyboard.press('Enter');
    await page
      .locator('[data-testid="message"]')
      .filter({ hasText: text })
      .locator('[aria-pressed="true"]')
      .waitFor();

    // Reply in a thread: the panel's reply box, Enter sends, Escape closes the panel.
    await tabTo(page, /^Conversation in/, 'back');
    await page.keyboard.press('ArrowUp');
    await tabTo(page, /^Reply in thread$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedName(page)).toBe('Reply');
    await page.keyboard.type('A reply, by keyboard');
    await page.keyboard.press('Enter');
    await page.getByRole('complementary').getByText('A reply, by keyboard').waitFor();
    await page.keyboard.press('Escape');

    // Upload: the attach button opens the file chooser.
    await tabTo(page, /^Choose a file to attach$/);
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Enter');
    await (await chooser).setFiles({
      name: 'keys.png',
      mimeType: 'image/png',
      buffer: await makePng(64, 48),
    });
    await page.getByRole('img', { name: 'keys.png', exact: true }).waitFor();

    // Leave: the members dialog, "Leave room", and the confirmation.
    await tabTo(page, /members$/, 'back');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await tabTo(page, /^Leave room$/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: `Leave #${slug}?` }).waitFor();
    await tabTo(page, /^Leave room$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => roomLink(page, slug).count()).toBe(0);
  });
});
