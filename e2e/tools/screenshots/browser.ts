import type { Browser, Page } from 'playwright-core';
import { PASSWORD } from './team.js';

export type Theme = 'light' | 'dark';
export interface Device {
  name: 'desktop' | 'phone';
  viewport: { width: number; height: number };
  touch: boolean;
}

export const DESKTOP: Device = { name: 'desktop', viewport: { width: 1280, height: 800 }, touch: false };
export const PHONE: Device = { name: 'phone', viewport: { width: 390, height: 844 }, touch: true };

/**
 * A page signed in as `username` in the given theme and size. `scale` 2 draws a phone as sharp
 * as a real one (the README's phone image); the screen catalogue uses 1 to keep files small.
 */
export async function signedIn(
  browser: Browser,
  base: string,
  username: string,
  theme: Theme,
  device: Device,
  scale = 1,
): Promise<Page> {
  const page = await signedOut(browser, base, theme, device, scale);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('log').first().waitFor();
  return page;
}

export async function signedOut(
  browser: Browser,
  base: string,
  theme: Theme,
  device: Device,
  scale = 1,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: device.viewport,
    colorScheme: theme,
    deviceScaleFactor: scale,
    ...(device.touch ? { hasTouch: true, isMobile: true } : {}),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(base);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  return page;
}
