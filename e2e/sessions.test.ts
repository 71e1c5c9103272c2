import { describe, expect, test } from 'vitest';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite } from './support/suite.js';
import { openSettings, signIn, signUp, waitForRoom } from './support/ui.js';

describe.skipIf(!chromiumAvailable())('sessions in the browser against the real server', () => {
  const suite = browserSuite();

  test('signing another device out from Settings sends that device back to the sign-in screen', async () => {
    const { url } = suite.server;
    const hana = await suite.person('Hana');
    await signUp(hana, url);
    // The same account in a second browser (its own cookies): another device.
    const laptop = { ...(await suite.person('Hana')), username: hana.username, password: hana.password };
    await signIn(laptop, url);
    await waitForRoom(laptop.page, 'general');

    const settings = await openSettings(hana.page);
    const sessions = settings.getByRole('region', { name: 'Sessions' }).getByRole('listitem');
    await expect.poll(() => sessions.count()).toBe(2);
    const here = sessions.filter({ hasText: 'This device' });
    expect(await here.count()).toBe(1);
    expect(await here.getByRole('button').count()).toBe(0);
    await settings.getByRole('region', { name: 'Change password' }).waitFor();
    await screenshotIfAsked(hana.page, 'settings-sessions');

    const other = sessions.filter({ hasNotText: 'This device' });
    await other.getByRole('button', { name: /^Sign out / }).click();
    await expect.poll(() => sessions.count()).toBe(1);

    // The other browser's socket is closed with 4001: it is back at the sign-in screen.
    await laptop.page.getByText('Your session ended').waitFor();
    await laptop.page.getByRole('button', { name: 'Sign in' }).waitFor();
    // This device is still signed in.
    await hana.page.reload();
    await waitForRoom(hana.page, 'general');
  });
});
