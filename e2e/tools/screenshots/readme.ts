import path from 'node:path';
import type { Browser } from 'playwright-core';
import { DESKTOP, PHONE, signedIn } from './browser.js';

/**
 * The README's four images: a room with a thread open (light), search results (dark), a
 * mention being typed (light) and the phone view (dark, drawn at twice the pixels).
 */
export async function readmeScreenshots(browser: Browser, base: string, out: string): Promise<string[]> {
  const light = await signedIn(browser, base, 'ada', 'light', DESKTOP);
  await light.goto(`${base}/r/design`);
  await light.getByText('Checklist for Friday').waitFor();
  await light.getByRole('button', { name: /2 replies/ }).click();
  await light.getByText('Threads polish is mine').last().waitFor();
  await light.waitForTimeout(400);
  await light.screenshot({ path: path.join(out, 'room-thread-light.png') });

  const dark = await signedIn(browser, base, 'ada', 'dark', DESKTOP);
  await dark.goto(`${base}/r/design`);
  await dark.getByText('Checklist for Friday').waitFor();
  await dark.getByRole('button', { name: 'Search messages' }).click();
  await dark.getByPlaceholder('Search messages').fill('deploy');
  await dark.getByPlaceholder('Search messages').press('Enter');
  await dark.locator('mark').first().waitFor();
  await dark.waitForTimeout(400);
  await dark.screenshot({ path: path.join(out, 'search-dark.png') });

  const benPage = await signedIn(browser, base, 'ben', 'light', DESKTOP);
  await benPage.goto(`${base}/r/design`);
  await benPage.getByText('Checklist for Friday').waitFor();
  const mention = await signedIn(browser, base, 'ada', 'light', DESKTOP);
  await mention.goto(`${base}/r/design`);
  await mention.getByText('Checklist for Friday').waitFor();
  await benPage
    .getByRole('textbox', { name: 'Message', exact: true })
    .pressSequentially('On it, ', { delay: 60 });
  await mention
    .getByRole('textbox', { name: 'Message', exact: true })
    .pressSequentially('Thanks @ch', { delay: 40 });
  await mention.getByRole('listbox').waitFor();
  await mention.waitForTimeout(300);
  await mention.screenshot({ path: path.join(out, 'mention-light.png') });

  const phone = await signedIn(browser, base, 'chloe', 'dark', PHONE, 2);
  await phone.goto(`${base}/r/design`);
  await phone.getByText('Checklist for Friday').waitFor();
  await phone.waitForTimeout(400);
  await phone.screenshot({ path: path.join(out, 'phone-dark.png') });

  for (const page of [light, dark, benPage, mention, phone]) await page.context().close();
  return ['room-thread-light.png', 'search-dark.png', 'mention-light.png', 'phone-dark.png'];
}
