import type { Locator, Page } from 'playwright-core';
import type { Person } from './suite.js';

/**
 * What a person does in the app, in their words: open it, sign up, send, attach, look for a
 * message. Each action waits for what a person would wait for.
 */

export async function openApp(page: Page, baseUrl: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
}

/** From the sign-in screen: "Create account", fill the form, submit, and land in #general. */
export async function signUp(person: Person, baseUrl: string): Promise<void> {
  const { page } = person;
  await openApp(page, baseUrl);
  await page.getByRole('link', { name: 'Create account' }).click();
  await page.getByLabel('Username', { exact: true }).fill(person.username);
  await page.getByLabel('Display name', { exact: true }).fill(person.displayName);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await waitForRoom(page, 'general');
}

/** From the sign-in screen, with an existing account. */
export async function signIn(person: Person, baseUrl: string): Promise<void> {
  const { page } = person;
  if (!(await page.getByRole('button', { name: 'Sign in' }).isVisible())) await openApp(page, baseUrl);
  await page.getByLabel('Username', { exact: true }).fill(person.username);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForRoom(page, 'general');
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

/** The room's conversation is on screen and the live connection is up. */
export async function waitForRoom(page: Page, roomName: string): Promise<void> {
  await page.getByRole('log', { name: `Conversation in #${roomName}` }).waitFor();
  await waitForConnection(page, 'Connected');
}

export function connectionStatus(page: Page): Locator {
  return page.getByTestId('connection-status');
}

export async function waitForConnection(page: Page, label: 'Connected' | 'Offline'): Promise<void> {
  await page
    .getByTestId('connection-status')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .waitFor();
}

/** Types into the composer and presses Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Message', exact: true });
  await composer.fill(text);
  await composer.press('Enter');
}

export async function attachFile(
  page: Page,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  await page.locator('input[type=file][aria-label="Attach file"]').setInputFiles(file);
}

/** Every message row (sent or pending) that contains `text`. */
export function messagesWith(page: Page, text: string): Locator {
  return page.getByTestId('message').filter({ hasText: text });
}

export async function waitForMessage(page: Page, text: string): Promise<Locator> {
  const message = messagesWith(page, text).first();
  await message.waitFor();
  return message;
}

/** Waits until the person's own message with `text` is confirmed by the server. */
export async function waitForSent(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="message"][data-status="sent"]').filter({ hasText: text }).waitFor();
}

/** Waits until the person's own image (alt = file name) is confirmed by the server. */
export async function waitForSentImage(page: Page, fileName: string): Promise<void> {
  await page
    .locator('[data-testid="message"][data-status="sent"]')
    .filter({ has: page.getByRole('img', { name: fileName, exact: true }) })
    .waitFor();
}

/** The image shown for an attachment, found by its alt text (the file name). */
export function imageNamed(page: Page, fileName: string): Locator {
  return page.getByTestId('message').getByRole('img', { name: fileName, exact: true });
}

/** Waits until the image has really been downloaded and decoded, not merely placed. */
export async function waitForImageLoaded(page: Page, fileName: string): Promise<number> {
  const image = imageNamed(page, fileName);
  await image.waitFor();
  const handle = await image.elementHandle();
  await page.waitForFunction(
    (element) => element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0,
    handle,
  );
  return image.evaluate((element) => (element as HTMLImageElement).naturalWidth);
}

/** The sidebar link of a room or DM, by the name the sidebar shows (its name adds "3 unread"). */
export function roomLink(page: Page, name: string): Locator {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page
    .getByTestId('room-link')
    .and(page.getByRole('link', { name: new RegExp(`^${escaped}( \\d+\\+? unread)?$`) }));
}

/** The unread badge on a room's sidebar link. */
export function unreadBadge(page: Page, name: string): Locator {
  return roomLink(page, name).getByTestId('unread-count');
}

/** "Create room" in the sidebar, fill the dialog, create: the new room opens. */
export async function createRoom(
  page: Page,
  room: { name: string; topic?: string; private?: boolean },
): Promise<void> {
  await openSidebarIfHidden(page);
  await page.getByRole('button', { name: 'Create room', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Create room' });
  await dialog.getByLabel('Room name', { exact: true }).fill(room.name);
  if (room.topic) await dialog.getByLabel('Topic', { exact: true }).fill(room.topic);
  if (room.private) await dialog.getByLabel('Private', { exact: true }).check();
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await waitForRoom(page, room.name);
}

/** Opens the members panel of the open room. */
export async function openMembers(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^(\d+ )?members$/i }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('member').first().waitFor();
  return dialog;
}

/** In the members panel: type a username and press "Add"; waits for them to be listed. */
export async function addPerson(page: Page, person: { username: string; displayName: string }) {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Username', { exact: true }).fill(person.username);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await dialog
    .getByTestId('member')
    .filter({ hasText: `@${person.username}` })
    .waitFor();
}

export async function closeDialog(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

/** "New message" in the sidebar, type the username, start: the conversation opens. */
export async function startDirectMessage(page: Page, username: string): Promise<void> {
  await openSidebarIfHidden(page);
  await page.getByRole('button', { name: 'New message', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New message' });
  await dialog.getByLabel('Username', { exact: true }).fill(username);
  await dialog.getByRole('button', { name: 'Start conversation' }).click();
}

/** On a phone the sidebar is a drawer behind the menu button. */
async function openSidebarIfHidden(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: 'Open rooms' });
  if (await menu.isVisible()) await menu.click();
}

/** The delivery line ("Sent", "Delivered to 1 of 2", "Seen") of one's own message with `text`. */
export function receiptOf(page: Page, text: string): Locator {
  return page
    .locator('[data-testid="message"][data-status="sent"]')
    .filter({ hasText: text })
    .getByTestId('receipt');
}

/** "Settings" in the user area at the bottom of the sidebar. */
export async function openSettings(page: Page): Promise<Locator> {
  await openSidebarIfHidden(page);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('switch', { name: 'Share read receipts' }).waitFor();
  return dialog;
}

/** "Failed jobs" in the sidebar (instance admins): the dead letter queue page. */
export async function openFailedJobs(page: Page): Promise<void> {
  await openSidebarIfHidden(page);
  await page.getByRole('link', { name: 'Failed jobs', exact: true }).click();
  await page.getByRole('heading', { name: 'Failed jobs' }).waitFor();
}

/** Instance admins: "Audit log" in the sidebar's Administration section. */
export async function openAuditLog(page: Page): Promise<void> {
  await openSidebarIfHidden(page);
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
}
