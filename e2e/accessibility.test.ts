import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { API_PASSWORD, type ApiUser, postMessageByApi, registerByApi, roomBySlug } from './support/api.js';
import { seriousAxeViolations } from './support/axe.js';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite, DESKTOP, type Person, PHONE } from './support/suite.js';
import {
  openApp,
  openFailedJobs,
  openMembers,
  openSettings,
  sendMessage,
  signIn,
  signUp,
  waitForMessage,
  waitForSent,
} from './support/ui.js';

const THEMES = ['light', 'dark'] as const;

/**
 * axe-core on every main screen, in the light and the dark theme (as the system would ask for
 * them): no serious or critical violation. With E2E_SCREENSHOTS_DIR set it also keeps a picture
 * of each screen in each theme, at desktop and phone sizes.
 */
describe.skipIf(!chromiumAvailable())('accessibility of every screen, light and dark', () => {
  // Test faults let the admin's "Failed jobs" page have a row to show.
  const suite = browserSuite({ serverEnv: { NODE_ENV: 'test', PARLEY_TEST_FAULTS: '1' } });
  // The first account of the instance is its admin; made before any test signs anyone up.
  let admin: ApiUser;
  let friend: ApiUser;
  beforeAll(async () => {
    admin = await registerByApi(suite.server.url, 'Root');
    friend = await registerByApi(suite.server.url, 'Grace Hopper');
  });

  /** The app's CSP refuses injected scripts; axe is one, so this context lets it in. */
  const visitor = (name: string) => suite.person(name, DESKTOP, { bypassCSP: true });

  /**
   * In each theme, at desktop and at phone width (where the sidebar is a drawer and dialogs are
   * sheets): axe finds nothing serious, and a screenshot is kept if asked.
   */
  async function checkInBothThemes(page: Page, screen: string): Promise<void> {
    const size = page.viewportSize() ?? DESKTOP;
    for (const width of [size, PHONE]) {
      await page.setViewportSize(width);
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        // Colours ease over 0.15s on some controls: let them settle before judging contrast.
        await page.waitForTimeout(250);
        expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
          theme === 'dark',
        );
        const where = `${screen} (${theme}, ${width.width} px)`;
        expect(await seriousAxeViolations(page), where).toEqual([]);
        if (width === size) await screenshotIfAsked(page, `${screen}-${theme}`);
      }
    }
    await page.setViewportSize(size);
  }

  async function signedUp(name: string): Promise<Person> {
    const person = await visitor(name);
    await signUp(person, suite.server.url);
    return person;
  }

  test('the sign-in screen', async () => {
    const { page } = await visitor('Ada');
    await openApp(page, suite.server.url);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await checkInBothThemes(page, 'sign-in');
  });

  test('registration with its field errors shown', async () => {
    const { page } = await visitor('Ada');
    await openApp(page, suite.server.url);
    await page.getByRole('link', { name: 'Create account' }).click();
    await page.getByLabel('Username', { exact: true }).fill('al');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Use at least 8 characters.').waitFor();
    await page.getByText('Use 3–32 letters, digits, dots, dashes or underscores, without spaces.').waitFor();
    await checkInBothThemes(page, 'register-errors');
  });

  test('a room with messages', async () => {
    const ada = await signedUp('Ada Lovelace');
    const general = await roomBySlug(suite.server.url, friend, 'general');
    const theirs = `Morning! The build is green again ${Date.now()}`;
    await postMessageByApi(suite.server.url, friend, general.id, theirs);
    await waitForMessage(ada.page, theirs);
    const mine = `Great, I will ship the release notes after lunch ${Date.now()}`;
    await sendMessage(ada.page, mine);
    await waitForSent(ada.page, mine);
    await postMessageByApi(suite.server.url, friend, general.id, 'Sounds good, thanks');
    await waitForMessage(ada.page, 'Sounds good');
    await checkInBothThemes(ada.page, 'room');
  });

  test('the Settings dialog', async () => {
    const ada = await signedUp('Ada');
    await openSettings(ada.page);
    await ada.page.getByRole('radio', { name: 'System' }).waitFor();
    await checkInBothThemes(ada.page, 'settings');
  });

  test('the members dialog', async () => {
    const ada = await signedUp('Ada');
    const members = await openMembers(ada.page);
    await members.getByTestId('member').filter({ hasText: 'Grace Hopper' }).waitFor();
    await checkInBothThemes(ada.page, 'members');
  });

  test('the create-room dialog', async () => {
    const ada = await signedUp('Ada');
    await ada.page.getByRole('button', { name: 'Create room', exact: true }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'Create room' });
    await dialog.getByLabel('Room name', { exact: true }).fill('Launch party');
    await checkInBothThemes(ada.page, 'create-room');
  });

  test("the admin's Failed jobs page", async () => {
    const person = await visitor('Root');
    const root = { ...person, username: admin.user.username, password: API_PASSWORD };
    await signIn(root, suite.server.url);
    const general = await roomBySlug(suite.server.url, admin, 'general');
    await postMessageByApi(suite.server.url, admin, general.id, `#fail:permanent boom ${Date.now()}`);
    await openFailedJobs(root.page);
    await root.page.getByTestId('dead-job').first().waitFor();
    await checkInBothThemes(root.page, 'failed-jobs');
  });

  test('a theme chosen in Settings wins over the system and survives a reload', async () => {
    const ada = await signedUp('Ada');
    const { page } = ada;
    await page.emulateMedia({ colorScheme: 'light' });
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const light = await background();

    await openSettings(page);
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const dark = await background();
    expect(dark).not.toBe(light);

    await page.reload();
    await page.getByRole('log').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await background()).toBe(dark);

    await openSettings(page);
    await expect(page.getByRole('radio', { name: 'Dark' }).isChecked()).resolves.toBe(true);
    await page.getByRole('radio', { name: 'System' }).check();
    await expect.poll(background).toBe(light);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).toBe(dark);
  });
});
