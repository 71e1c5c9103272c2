import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite } from './support/suite.js';
import { closeDialog, openMembers, signUp, waitForMessage } from './support/ui.js';

/** Screenshots (when asked for) in the light and the dark theme. */
async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshotIfAsked(page, `${name}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe.skipIf(!chromiumAvailable())('typing, presence and mentions', () => {
  const suite = browserSuite();

  test('B sees A typing and online, A mentions B by autocomplete and B sees it stand out, then A goes offline', async () => {
    const ada = await suite.person('Ada');
    const bo = await suite.person('Bo');
    await signUp(ada, suite.server.url);
    await signUp(bo, suite.server.url);

    // Typing: A types (without sending), B sees it under the timeline.
    const composer = ada.page.getByRole('textbox', { name: 'Message', exact: true });
    await composer.click();
    await ada.page.keyboard.type('Working on the');
    const typing = bo.page.getByTestId('typing-indicator');
    await typing.filter({ hasText: 'Ada is typing…' }).waitFor();
    await screenshotBothThemes(bo.page, 'presence-typing');

    // Presence: A is online in B's members panel.
    const members = await openMembers(bo.page);
    const adaInList = members.getByTestId('member').filter({ hasText: `@${ada.username}` });
    await adaInList.getByTestId('presence-dot').and(bo.page.locator('[data-online="true"]')).waitFor();
    await expect(adaInList.textContent()).resolves.toContain('online');
    await screenshotBothThemes(bo.page, 'presence-members');
    await closeDialog(bo.page);

    // Mention by autocomplete: "@" and the start of B's username, the list offers B, Enter inserts.
    await composer.fill('');
    await ada.page.keyboard.type(`Look here @${bo.username.slice(0, 4)}`);
    const option = ada.page.getByRole('option').filter({ hasText: `@${bo.username}` });
    await option.waitFor();
    await expect(option.getAttribute('aria-selected')).resolves.toBe('true');
    await screenshotBothThemes(ada.page, 'presence-autocomplete');
    await ada.page.keyboard.press('Enter');
    await expect(composer.inputValue()).resolves.toBe(`Look here @${bo.username} `);
    await ada.page.keyboard.type('please');
    await ada.page.keyboard.press('Enter');

    const mentioned = await waitForMessage(bo.page, 'please');
    await expect(mentioned.getAttribute('class')).resolves.toContain('message--mentions-me');
    await expect(mentioned.locator('.mention--me').textContent()).resolves.toBe(`@${bo.username}`);
    // The typist's message ends their "is typing".
    await typing.filter({ hasText: /^$/ }).waitFor();
    // In A's own view the mention is highlighted but the message does not stand out.
    const own = await waitForMessage(ada.page, 'please');
    await expect(own.locator('.mention').count()).resolves.toBe(1);
    await expect(own.getAttribute('class')).resolves.not.toContain('message--mentions-me');
    if (process.env.E2E_SCREENSHOTS_DIR) {
      await ada.page.getByRole('button', { name: 'Formatting help' }).click();
      await screenshotBothThemes(ada.page, 'presence-formatting');
    }
    await screenshotBothThemes(bo.page, 'presence-mentioned');

    // The room's notification level, from the bell in the header: mute dims the room.
    await bo.page.getByRole('button', { name: 'Notifications: Mentions only' }).click();
    const menu = bo.page.getByRole('menu', { name: 'Notify me about' });
    await expect(
      menu.getByRole('menuitemradio', { name: /Mentions only/ }).getAttribute('aria-checked'),
    ).resolves.toBe('true');
    await screenshotBothThemes(bo.page, 'presence-notify-menu');
    await menu.getByRole('menuitemradio', { name: /Mute/ }).click();
    await bo.page.getByRole('button', { name: 'Notifications: Mute' }).waitFor();
    await bo.page.locator('.room-link--muted').filter({ hasText: 'general' }).waitFor();

    // A closes the app: B sees A offline (without reopening anything).
    const panel = await openMembers(bo.page);
    const adaAgain = panel.getByTestId('member').filter({ hasText: `@${ada.username}` });
    await adaAgain.getByTestId('presence-dot').and(bo.page.locator('[data-online="true"]')).waitFor();
    await ada.context.close();
    await adaAgain
      .getByTestId('presence-dot')
      .and(bo.page.locator('[data-online="false"]'))
      .waitFor({ timeout: 20_000 });
  });
});
