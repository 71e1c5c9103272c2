import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './support/browser.js';
import { makePng } from './support/images.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite } from './support/suite.js';
import { closeDialog, openSettings, sendMessage, signUp, waitForMessage, waitForRoom } from './support/ui.js';

/** Both themes, as the system would ask for them, for the screenshots. */
async function screenshotsInBothThemes(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshotIfAsked(page, `${name}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The avatar picture beside the message with this text (the first of its group). */
const avatarBeside = (page: Page, text: string) =>
  page.getByTestId('message').filter({ hasText: text }).locator('.avatar__image');

describe.skipIf(!chromiumAvailable())('profiles in the browser against the real server', () => {
  const suite = browserSuite();

  test('A changes name and picture in Settings; B sees both beside A’s messages without reloading', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada');
    const ben = await suite.person('Ben');
    await signUp(ada, url);
    await signUp(ben, url);
    await waitForRoom(ben.page, 'general');
    await sendMessage(ada.page, 'Hello from before the makeover');
    const before = await waitForMessage(ben.page, 'Hello from before the makeover');
    expect(await before.locator('.message__author').textContent()).toBe('Ada');
    expect(await avatarBeside(ben.page, 'Hello from before the makeover').count()).toBe(0);

    // Ada: Settings > Profile, a new name and a picture (previewed, then saved).
    const settings = await openSettings(ada.page);
    const profile = settings.getByRole('region', { name: 'Profile' });
    const name = profile.getByLabel('Display name');
    await name.fill('');
    await profile.getByRole('button', { name: 'Save name' }).click();
    // An empty name is refused under the field, tied to it.
    const error = profile.locator('.field__error');
    await error.waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await name.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
    await name.fill('Ada Lovelace');
    await profile.getByRole('button', { name: 'Save name' }).click();
    await profile.getByText('Display name saved.').waitFor();

    const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-avatar-'));
    const file = path.join(dir, 'ada.png');
    writeFileSync(file, await makePng(640, 480));
    await profile.getByTestId('avatar-file').setInputFiles(file);
    await profile.getByAltText('How your new avatar will look').waitFor();
    await screenshotsInBothThemes(ada.page, 'settings-profile-preview');
    await profile.getByRole('button', { name: 'Use this picture' }).click();
    await profile.getByText('Picture saved.').waitFor();
    await profile.getByRole('button', { name: 'Remove' }).waitFor();
    await screenshotsInBothThemes(ada.page, 'settings-profile');
    await closeDialog(ada.page);

    // Ada's own account bar shows the picture at once.
    await ada.page.locator('.sidebar__me .avatar__image').waitFor();

    // Ben, without reloading: the old message now carries the new name and the picture.
    await expect
      .poll(() => before.locator('.message__author').textContent(), { timeout: 10_000 })
      .toBe('Ada Lovelace');
    const picture = avatarBeside(ben.page, 'Hello from before the makeover');
    await picture.waitFor();
    await expect
      .poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(256);
    expect(await picture.getAttribute('src')).toMatch(/\/users\/[^/]+\/avatar\/[^/?]+$/);

    // A new message after the change carries them too, and so does a fresh load.
    await sendMessage(ada.page, 'And after it');
    await waitForMessage(ben.page, 'And after it');
    await ben.page.reload();
    await waitForRoom(ben.page, 'general');
    await avatarBeside(ben.page, 'Hello from before the makeover').waitFor();
    expect(
      await (await waitForMessage(ben.page, 'Hello from before the makeover'))
        .locator('.message__author')
        .textContent(),
    ).toBe('Ada Lovelace');
    await screenshotsInBothThemes(ben.page, 'room-avatars');
  });
});
