import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, type Viewport } from './suite.js';

/**
 * With `E2E_SCREENSHOTS_DIR` set, saves the page at desktop and phone sizes as
 * `<name>-desktop.png` and `<name>-phone.png`, for a person to look at; otherwise does nothing.
 */
export async function screenshotIfAsked(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  const sizes: [string, Viewport][] = [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ];
  for (const [label, viewport] of sizes) {
    await page.setViewportSize(viewport);
    // Let layout, the pinned-to-bottom scroll and lazy images settle at the new size.
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(dir, `${name}-${label}.png`) });
  }
  await page.setViewportSize(original);
}
