import { describe, expect, test } from 'vitest';
import {
  addMemberByApi,
  createRoomByApi,
  openDmByApi,
  postMessageByApi,
  registerByApi,
  roomBySlug,
} from './support/api.js';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite } from './support/suite.js';
import {
  addPerson,
  closeDialog,
  createRoom,
  messagesWith,
  openApp,
  openMembers,
  roomLink,
  sendMessage,
  signUp,
  startDirectMessage,
  unreadBadge,
  waitForMessage,
  waitForRoom,
  waitForSent,
} from './support/ui.js';

describe.skipIf(!chromiumAvailable())('rooms, members and direct messages in the browser', () => {
  const suite = browserSuite();

  test('a private room: the owner adds someone, they chat, and once removed they see nothing more', async () => {
    const { url } = suite.server;
    const ada = await suite.person('Ada');
    const ben = await suite.person('Ben');
    await signUp(ada, url);
    await signUp(ben, url);

    const name = `Secret plans ${Date.now() % 100000}`;
    await createRoom(ada.page, { name, topic: 'Only for the two of us', private: true });
    expect(new URL(ada.page.url()).pathname).toMatch(/^\/r\/secret-plans-/);
    await expect(roomLink(ben.page, name).count()).resolves.toBe(0);

    await openMembers(ada.page);
    await addPerson(ada.page, ben);
    await closeDialog(ada.page);

    // Ben is in it now: the room shows up in his sidebar without a reload.
    await roomLink(ben.page, name).waitFor();
    await roomLink(ben.page, name).click();
    await waitForRoom(ben.page, name);
    await ben.page.getByText('Ada added you').waitFor();

    const hello = `Welcome aboard ${Date.now()}`;
    await sendMessage(ada.page, hello);
    await waitForMessage(ben.page, hello);
    const reply = `Glad to be here ${Date.now()}`;
    await sendMessage(ben.page, reply);
    await waitForMessage(ada.page, reply);

    const members = await openMembers(ada.page);
    await members.getByRole('button', { name: 'Remove Ben' }).click();
    await members
      .getByTestId('member')
      .filter({ hasText: `@${ben.username}` })
      .waitFor({ state: 'detached' });
    await closeDialog(ada.page);

    // Ben is told, is taken back to #general, and the room leaves his sidebar.
    await ben.page.getByText('Ada removed you from').waitFor();
    await roomLink(ben.page, name).waitFor({ state: 'detached' });
    await waitForRoom(ben.page, 'general');

    const after = `Said after Ben left ${Date.now()}`;
    await sendMessage(ada.page, after);
    await waitForSent(ada.page, after);
    await ben.page.waitForTimeout(2000);
    expect(await messagesWith(ben.page, after).count()).toBe(0);
    expect(await roomLink(ben.page, name).count()).toBe(0);
  });

  test('a direct message started by username appears live for the other person, named after the sender', async () => {
    const { url } = suite.server;
    const cleo = await suite.person('Cleo');
    const dan = await suite.person('Dan');
    await signUp(cleo, url);
    await signUp(dan, url);

    await startDirectMessage(cleo.page, 'nobody_by_that_name');
    await cleo.page.getByText('No user named nobody_by_that_name.').waitFor();
    await closeDialog(cleo.page);

    await startDirectMessage(cleo.page, dan.username);
    await waitForRoom(cleo.page, 'Dan');
    expect(new URL(cleo.page.url()).pathname).toMatch(/^\/r\/dm-/);
    await roomLink(cleo.page, 'Dan').waitFor();

    const hello = `Hi Dan, a quick question ${Date.now()}`;
    await sendMessage(cleo.page, hello);
    await waitForSent(cleo.page, hello);

    // Dan sees the conversation under Direct messages, named after Cleo, with one unread message.
    const direct = dan.page.getByRole('navigation', { name: 'Rooms' }).getByRole('region', {
      name: 'Direct messages',
    });
    // Its name says what the badge shows (WCAG 2.5.3, label in name).
    await direct.getByRole('link', { name: 'Cleo 1 unread', exact: true }).waitFor();
    await expect.poll(() => unreadBadge(dan.page, 'Cleo').textContent()).toBe('1');

    await roomLink(dan.page, 'Cleo').click();
    await waitForRoom(dan.page, 'Cleo');
    await waitForMessage(dan.page, hello);
    expect(await unreadBadge(dan.page, 'Cleo').count()).toBe(0);
    const reply = `Sure, go ahead ${Date.now()}`;
    await sendMessage(dan.page, reply);
    await waitForMessage(cleo.page, reply);

    // The DM's address survives a reload.
    await dan.page.reload();
    await waitForRoom(dan.page, 'Cleo');
    await waitForMessage(dan.page, reply);
    expect(await messagesWith(dan.page, hello).count()).toBe(1);
  });

  test('the sidebar counts unread messages per room, also across a reload', async () => {
    const { url } = suite.server;
    const maya = await suite.person('Maya');
    await signUp(maya, url);
    const sam = await registerByApi(url, 'Sam Okafor');
    const lea = await registerByApi(url, 'Léa Martin');
    const stamp = Date.now() % 100000;

    const design = await createRoomByApi(url, sam, {
      name: 'design',
      slug: `design-${stamp}`,
      visibility: 'public',
      topic: 'Pixels, type and taste',
    });
    const ops = await createRoomByApi(url, sam, {
      name: 'ops-oncall',
      slug: `ops-${stamp}`,
      visibility: 'private',
    });
    await addMemberByApi(url, sam, design.id, maya.username);
    await addMemberByApi(url, sam, ops.id, maya.username);
    const samDm = await openDmByApi(url, sam, maya.username);
    await openDmByApi(url, lea, maya.username);
    await createRoomByApi(url, lea, { name: 'random', slug: `random-${stamp}`, visibility: 'public' });

    await roomLink(maya.page, 'ops-oncall').waitFor();
    await roomLink(maya.page, 'Léa Martin').waitFor();
    for (const text of ['Mockups are up', 'Feedback by Friday please', 'v2 attached']) {
      await postMessageByApi(url, sam, design.id, text);
    }
    await postMessageByApi(url, sam, ops.id, 'Pager rotation changes next week');
    await postMessageByApi(url, sam, samDm.id, 'Got a minute?');
    await postMessageByApi(url, sam, samDm.id, 'About the release notes');
    const general = await roomBySlug(url, sam, 'general');
    await postMessageByApi(url, sam, general.id, 'Morning all!');
    await waitForMessage(maya.page, 'Morning all!');

    await expect.poll(() => unreadBadge(maya.page, 'design').textContent()).toBe('3');
    await expect.poll(() => unreadBadge(maya.page, 'ops-oncall').textContent()).toBe('1');
    await expect.poll(() => unreadBadge(maya.page, 'Sam Okafor').textContent()).toBe('2');
    expect(await unreadBadge(maya.page, 'general').count()).toBe(0);
    await screenshotIfAsked(maya.page, 'sidebar-unread');

    // The counts come from the server's ack cursors after a reload.
    await maya.page.reload();
    await waitForRoom(maya.page, 'general');
    await expect.poll(() => unreadBadge(maya.page, 'design').textContent()).toBe('3');
    await expect.poll(() => unreadBadge(maya.page, 'Sam Okafor').textContent()).toBe('2');

    await roomLink(maya.page, 'design').click();
    await waitForRoom(maya.page, 'design');
    await waitForMessage(maya.page, 'v2 attached');
    expect(await unreadBadge(maya.page, 'design').count()).toBe(0);

    if (process.env.E2E_SCREENSHOTS_DIR) {
      await openMembers(maya.page);
      await screenshotIfAsked(maya.page, 'members-member');
      await closeDialog(maya.page);
      await maya.page.getByRole('button', { name: 'Create room', exact: true }).click();
      await maya.page.getByLabel('Room name', { exact: true }).fill('launch-plan');
      await maya.page.getByLabel('Topic', { exact: true }).fill('Everything for the May launch');
      await screenshotIfAsked(maya.page, 'create-room');
      await closeDialog(maya.page);
      await createRoom(maya.page, { name: 'launch-plan', topic: 'Everything for the May launch' });
      const members = await openMembers(maya.page);
      await addPerson(maya.page, { username: sam.user.username, displayName: 'Sam Okafor' });
      await addPerson(maya.page, { username: lea.user.username, displayName: 'Léa Martin' });
      await members.getByRole('button', { name: 'Make admin' }).first().click();
      await members.getByText('Admin', { exact: true }).waitFor();
      await screenshotIfAsked(maya.page, 'members-owner');
      await closeDialog(maya.page);
      await openApp(maya.page, url, `/r/${design.slug}`);
      await waitForRoom(maya.page, 'design');
      await maya.page.getByRole('button', { name: 'Browse channels' }).click();
      await maya.page.getByRole('dialog').getByText('random').waitFor();
      await screenshotIfAsked(maya.page, 'browse');
      await closeDialog(maya.page);
      // The phone drawer with the same rooms and badges.
      await maya.page.setViewportSize({ width: 390, height: 844 });
      await maya.page.getByRole('button', { name: 'Open rooms' }).click();
      await maya.page.waitForTimeout(300);
      await maya.page.screenshot({ path: `${process.env.E2E_SCREENSHOTS_DIR}/sidebar-drawer-phone.png` });
    }
  });
});
