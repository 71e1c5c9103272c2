import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { postMessageByApi, registerByApi, roomBySlug } from './support/api.js';
import { chromiumAvailable } from './support/browser.js';
import { browserSuite } from './support/suite.js';
import {
  createRoom,
  openApp,
  openSettings,
  roomLink,
  signUp,
  waitForRoom,
  waitForSent,
} from './support/ui.js';

/** What has focus, as a person using a screen reader would hear it: its role-ish tag and name. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName.toLowerCase(),
      name: element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? '',
      inDialog: Boolean(element?.closest('[role="dialog"]')),
    };
  });
}

describe.skipIf(!chromiumAvailable())('the keyboard and screen readers', () => {
  const suite = browserSuite();

  test('after signing up the message box has focus: typing and Enter send', async () => {
    const ada = await suite.person('Ada');
    await signUp(ada, suite.server.url);
    await expect(focused(ada.page)).resolves.toMatchObject({ tag: 'textarea', name: 'Message' });
    const text = `typed straight in ${Date.now()}`;
    await ada.page.keyboard.type(text);
    await ada.page.keyboard.press('Enter');
    await waitForSent(ada.page, text);
  });

  test('on a fresh page, Tab reaches the skip link first, and it shows and works', async () => {
    const ada = await suite.person('Ada');
    await signUp(ada, suite.server.url);
    await openApp(ada.page, suite.server.url);
    await waitForRoom(ada.page, 'general');

    await ada.page.keyboard.press('Tab');
    await expect(focused(ada.page)).resolves.toMatchObject({ tag: 'button', name: 'Skip to messages' });
    const box = await ada.page.getByRole('button', { name: 'Skip to messages' }).boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(40);
    await ada.page.keyboard.press('Tab');
    await expect(focused(ada.page)).resolves.toMatchObject({ tag: 'button', name: 'Skip to composer' });
    await ada.page.keyboard.press('Enter');
    await expect(focused(ada.page)).resolves.toMatchObject({ tag: 'textarea', name: 'Message' });
  });

  test('from the messages, Up and Down go through them, Tab reaches Edit, and Enter edits', async () => {
    const ada = await suite.person('Ada');
    await signUp(ada, suite.server.url);
    for (const text of ['first, to be edited', 'second']) {
      await ada.page.keyboard.type(text);
      await ada.page.keyboard.press('Enter');
      await waitForSent(ada.page, text);
    }
    await ada.page.getByRole('button', { name: 'Skip to messages' }).focus();
    await ada.page.keyboard.press('Enter');
    await expect(focused(ada.page)).resolves.toMatchObject({ tag: 'div' });
    await ada.page.keyboard.press('ArrowUp');
    await ada.page.keyboard.press('ArrowUp');
    const first = await ada.page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(first).toContain('first, to be edited');
    // The focused message's actions, in order: react, reply in thread, edit, delete.
    const stops: string[] = [];
    for (let n = 0; n < 3; n++) {
      await ada.page.keyboard.press('Tab');
      stops.push((await focused(ada.page)).name);
    }
    expect(stops).toEqual(['Add reaction', 'Reply in thread', 'Edit']);
    await ada.page.keyboard.press('Enter');
    await expect(focused(ada.page)).resolves.toMatchObject({ tag: 'textarea', name: 'Edit text' });
  });

  test('Settings keeps Tab inside it, and Escape gives focus back to the settings button', async () => {
    const ada = await suite.person('Ada');
    await signUp(ada, suite.server.url);
    const settingsButton = ada.page.getByRole('button', { name: 'Settings', exact: true });
    await openSettings(ada.page);
    for (let press = 0; press < 25; press += 1) {
      await ada.page.keyboard.press(press % 5 === 4 ? 'Shift+Tab' : 'Tab');
      await expect(focused(ada.page), `after Tab press ${press + 1}`).resolves.toMatchObject({
        inDialog: true,
      });
    }
    await ada.page.keyboard.press('Escape');
    await ada.page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await settingsButton.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  test('the tab title counts what others post in other rooms, and the open room is announced', async () => {
    const { url } = suite.server;
    const grace = await registerByApi(url, 'Grace Hopper');
    const general = await roomBySlug(url, grace, 'general');
    const ada = await suite.person('Ada');
    await signUp(ada, url);
    await ada.page.waitForFunction(() => document.title === '#general · Parley');

    const side = `Side ${Date.now() % 100000}`;
    await createRoom(ada.page, { name: side });
    await postMessageByApi(url, grace, general.id, 'over here');
    await ada.page.waitForFunction((name) => document.title === `(1) #${name} · Parley`, side);

    await roomLink(ada.page, 'general').click();
    await waitForRoom(ada.page, 'general');
    await ada.page.waitForFunction(() => document.title === '#general · Parley');
    // The room was opened: typing goes straight into its message box.
    await expect(focused(ada.page)).resolves.toMatchObject({ tag: 'textarea', name: 'Message' });

    await postMessageByApi(url, grace, general.id, 'hello Ada');
    await ada.page.getByTestId('announce-messages').filter({ hasText: 'Grace Hopper: hello Ada' }).waitFor({
      state: 'attached',
    });
  });
});
