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
