/**
 * What a new user hit, and reading a busy room, in the browser: a room link one cannot open,
 * Leave and Delete that ask first, the "New messages" line and "Jump to latest", the quick
 * switcher (Ctrl+K) and people suggested while adding a member.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { addMemberByApi, createRoomByApi, postMessageByApi, registerByApi } from './support/api.js';
import { seriousAxeViolations } from './support/axe.js';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite } from './support/suite.js';
import {
  createRoom,
  openApp,
  openMembers,
  roomLink,
  sendMessage,
  signUp,
  waitForMessage,
  waitForRoom,
  waitForSent,
} from './support/ui.js';

/**
 * Each new screen's own part (`within`) is checked with axe-core in both themes (no serious or
 * critical violation), and the screen photographed there (with E2E_SCREENSHOTS_DIR set) at desktop and phone sizes.
 */
async function shoot(page: Page, name: string, within: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.waitForTimeout(400); // colours ease between themes (transitions of 0.15 s)
    expect(await seriousAxeViolations(page, within), `${name} in the ${theme} theme`).toEqual([]);
    await screenshotIfAsked(page, `${name}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** axe-core is injected into the page: the app's CSP must let it. */
const AXE = { bypassCSP: true };

const stamp = () => Date.now() % 1_000_000;

describe.skipIf(!chromiumAvailable())('a busy room, and what a new user hit', () => {
  const suite = browserSuite();

  test('a link to a private or unknown room says so, with a way back, instead of opening #general', async () => {
    const { url } = suite.server;
    const owner = await registerByApi(url, 'Olga');
    const slug = `secret-${stamp()}`;
    await createRoomByApi(url, owner, { name: `Secret ${slug}`, slug, visibility: 'private' });
    const ada = await suite.person('Ada', undefined, AXE);
    await signUp(ada, url);

    for (const target of [slug, 'no-such-room-at-all']) {
      await openApp(ada.page, url, `/r/${target}`);
      const heading = ada.page.getByRole('heading', { name: 'Room not found, or you have no access' });
      await heading.waitFor();
      await ada.page.getByText(`/r/${target}`).waitFor();
      expect(new URL(ada.page.url()).pathname).toBe(`/r/${target}`);
      await expect(ada.page.getByRole('log').count()).resolves.toBe(0);
    }
    await shoot(ada.page, 'room-not-found', '.room-missing');
    await ada.page.getByRole('button', { name: 'Go to #general' }).click();
    await waitForRoom(ada.page, 'general');
    expect(new URL(ada.page.url()).pathname).toBe('/r/general');
  });

  test('opening a room with unread messages: a New messages line, then Jump to latest with a count', async () => {
    const { url } = suite.server;
    const sam = await registerByApi(url, 'Sam');
    const maya = await suite.person('Maya', undefined, AXE);
    await signUp(maya, url);
    const name = `launch ${stamp()}`;
    const room = await createRoomByApi(url, sam, { name, slug: `launch-${stamp()}`, visibility: 'public' });
    await addMemberByApi(url, sam, room.id, maya.username);
    await postMessageByApi(url, sam, room.id, 'read before');

    // Maya reads the room, then goes back to #general while Sam keeps writing.
    await roomLink(maya.page, name).click();
    await waitForMessage(maya.page, 'read before');
    await maya.page.waitForTimeout(1500); // the read cursor is acknowledged within a second
    await roomLink(maya.page, 'general').click();
    await waitForRoom(maya.page, 'general');
    for (let i = 1; i <= 40; i++) await postMessageByApi(url, sam, room.id, `update number ${i}`);
    await roomLink(maya.page, `${name}`).filter({ hasText: '40' }).waitFor();

    await roomLink(maya.page, name).click();
    const divider = maya.page.getByText('New messages', { exact: true });
    await divider.waitFor();
    // The line sits right above Sam's first unread message, and the room opens there.
    const first = maya.page.getByTestId('message').filter({ hasText: 'update number 1' }).first();
    const [lineBox, firstBox] = [await divider.boundingBox(), await first.boundingBox()];
    expect(lineBox && firstBox && lineBox.y < firstBox.y).toBe(true);
    await expect(first.isVisible()).resolves.toBe(true);
    const jump = maya.page.getByRole('button', { name: /^Jump to latest/ });
    await jump.waitFor();
    await shoot(maya.page, 'busy-room-unread', '.message-list');

    await postMessageByApi(url, sam, room.id, 'one more thing');
    // Every message below the line is counted: the 40 and the one that just came.
    await maya.page.getByRole('button', { name: 'Jump to latest 41 new messages' }).waitFor();
    await jump.click();
    await jump.waitFor({ state: 'detached' });
    await expect(
      maya.page.getByTestId('message').filter({ hasText: 'one more thing' }).isVisible(),
    ).resolves.toBe(true);
  });

  test('Leave and Delete ask first, and do nothing on Cancel', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada', undefined, AXE);
    await signUp(ada, url);
    const name = `Careful ${stamp()}`;
    await createRoom(ada.page, { name });
    const text = `to be deleted ${stamp()}`;
    await sendMessage(ada.page, text);
    await waitForSent(ada.page, text);

    const mine = ada.page.getByTestId('message').filter({ hasText: text });
    await mine.hover();
    await mine.getByRole('button', { name: 'Delete' }).click();
    const confirmDelete = ada.page.getByRole('dialog', { name: 'Delete message?' });
    await confirmDelete.getByText(text).waitFor();
    await shoot(ada.page, 'confirm-delete', '[role="dialog"]');
    await confirmDelete.getByRole('button', { name: 'Cancel' }).click();
    await confirmDelete.waitFor({ state: 'detached' });
    await expect(mine.textContent()).resolves.toContain(text);
    await mine.hover();
    await mine.getByRole('button', { name: 'Delete' }).click();
    await confirmDelete.getByRole('button', { name: 'Delete', exact: true }).click();
    await ada.page.getByTestId('message').filter({ hasText: 'message deleted' }).waitFor();

    const members = await openMembers(ada.page);
    await members.getByRole('button', { name: 'Leave room' }).click();
    const confirmLeave = ada.page.getByRole('dialog', { name: `Leave #${name}?` });
    await confirmLeave.waitFor();
    await shoot(ada.page, 'confirm-leave', '[role="dialog"]');
    await confirmLeave.getByRole('button', { name: 'Cancel' }).click();
    await expect(roomLink(ada.page, name).count()).resolves.toBe(1);
    await (await openMembers(ada.page)).getByRole('button', { name: 'Leave room' }).click();
    await confirmLeave.getByRole('button', { name: 'Leave room' }).click();
    await roomLink(ada.page, name).waitFor({ state: 'detached' });
  });

  test('the quick switcher (Ctrl+K) finds rooms and people; adding a member suggests people', async () => {
    const { url } = suite.server;
    const grace = await registerByApi(url, `Grace Hopper`);
    const lea = await registerByApi(url, 'Léa Martin');
    const sam = await registerByApi(url, 'Sam');
    const roomName = `design-crit ${stamp()}`;
    await createRoomByApi(url, sam, { name: roomName, slug: `design-crit-${stamp()}`, visibility: 'public' });
    const ada = await suite.person('Ada', undefined, AXE);
    await signUp(ada, url);

    await ada.page.keyboard.press('Control+k');
    const switcher = ada.page.getByRole('dialog', { name: 'Jump to' });
    const input = switcher.getByRole('combobox', { name: 'Find a room or a person' });
    await expect(input.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await input.fill('dsgncrt');
    await switcher.getByRole('option', { name: new RegExp(roomName) }).waitFor();
    await shoot(ada.page, 'quick-switcher', '[role="dialog"]');
    await ada.page.keyboard.press('Enter');
    await switcher.waitFor({ state: 'detached' });
    await waitForRoom(ada.page, roomName); // a public room: joined on the way in

    await ada.page.keyboard.press('Control+k');
    await input.fill(grace.user.username.slice(0, 8));
    await switcher.getByRole('option', { name: /Grace Hopper/ }).waitFor();
    await ada.page.keyboard.press('Escape');
    await switcher.waitFor({ state: 'detached' });
    await ada.page.getByRole('button', { name: 'Jump to…' }).click();
    await input.fill('grace hop');
    await switcher.getByRole('option', { name: /Grace Hopper/ }).waitFor();
    await ada.page.keyboard.press('ArrowDown');
    await ada.page.keyboard.press('ArrowUp');
    const active = await input.getAttribute('aria-activedescendant');
    await expect(switcher.locator(`[id="${active}"]`).textContent()).resolves.toContain('Grace Hopper');
    await ada.page.keyboard.press('Enter');
    await ada.page.getByRole('log', { name: 'Conversation in #Grace Hopper' }).waitFor();

    // Adding a member: suggestions as one types, picked with the keyboard.
    const own = `Crew ${stamp()}`;
    await createRoom(ada.page, { name: own, private: true });
    const members = await openMembers(ada.page);
    const field = members.getByRole('combobox', { name: 'Username' });
    await field.fill('léa');
    await members.getByRole('option', { name: /Léa Martin/ }).waitFor();
    await shoot(ada.page, 'member-suggestions', '.user-suggest');
    await ada.page.keyboard.press('ArrowDown');
    await ada.page.keyboard.press('Enter');
    await expect(field.inputValue()).resolves.toBe(lea.user.username);
    await members.getByRole('button', { name: 'Add', exact: true }).click();
    await members
      .getByTestId('member')
      .filter({ hasText: `@${lea.user.username}` })
      .waitFor();
  });

  test('a room name already taken is refused on the name field', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada', undefined, AXE);
    await signUp(ada, url);
    await ada.page.getByRole('button', { name: 'Create room', exact: true }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'Create room' });
    await dialog.getByLabel('Room name', { exact: true }).fill('General');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByText('A room named “General” already exists. Choose another name.').waitFor();
    await shoot(ada.page, 'create-room-taken', '[role="dialog"]');
  });
});
