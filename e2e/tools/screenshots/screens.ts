import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, type Device, PHONE, signedIn, signedOut, type Theme } from './browser.js';
import type { Team } from './team.js';

/** One main screen: how to get there from #design (or the sign-in page), and what it shows. */
export interface Screen {
  name: string;
  title: string;
  /** Taken on a signed-out page instead of Ada's. */
  signedOut?: boolean;
  open: (page: Page, team: Team) => Promise<void>;
}

const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });

/** On a phone the sidebar is a drawer behind the menu button. */
async function sidebar(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: 'Open rooms' });
  if (await menu.isVisible()) {
    await menu.click();
    // The drawer slides in.
    await page.waitForTimeout(350);
  }
}

async function sidebarButton(page: Page, name: string): Promise<void> {
  await sidebar(page);
  await page.getByRole('button', { name, exact: true }).click();
}

export const SCREENS: Screen[] = [
  {
    name: 'sign-in',
    title: 'Sign in',
    signedOut: true,
    open: async (page) => {
      await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    },
  },
  {
    name: 'register-errors',
    title: 'Create account, with field errors',
    signedOut: true,
    open: async (page) => {
      await page.getByRole('link', { name: 'Create account' }).click();
      await page.getByLabel('Username', { exact: true }).fill('al');
      await page.getByLabel('Password', { exact: true }).fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByText('Use at least 8 characters.').waitFor();
    },
  },
  { name: 'room', title: 'A room', open: async () => undefined },
  {
    name: 'thread',
    title: 'A thread beside its room',
    open: async (page) => {
      await page.getByRole('button', { name: /2 replies/ }).click();
      await page.getByText('Threads polish is mine').last().waitFor();
    },
  },
  {
    name: 'search',
    title: 'Search results',
    open: async (page) => {
      await page.getByRole('button', { name: 'Search messages' }).click();
      await page.getByPlaceholder('Search messages').fill('deploy');
      await page.getByPlaceholder('Search messages').press('Enter');
      await page.locator('mark').first().waitFor();
    },
  },
  {
    name: 'mentions',
    title: 'The Mentions inbox',
    open: async (page) => {
      await sidebar(page);
      await page.getByRole('button', { name: /^@?\s*Mentions/ }).click();
      await page.getByTestId('mention-entry').first().waitFor();
    },
  },
  {
    name: 'create-room',
    title: 'Create room',
    open: async (page) => {
      await sidebarButton(page, 'Create room');
      await dialog(page, 'Create room').getByLabel('Room name', { exact: true }).fill('design-crit');
    },
  },
  {
    name: 'browse-channels',
    title: 'Browse channels',
    open: async (page) => {
      await sidebarButton(page, 'Browse channels');
      await dialog(page, 'Browse channels').getByRole('button', { name: 'Join' }).first().waitFor();
    },
  },
  {
    name: 'members',
    title: 'Members of a room',
    open: async (page) => {
      await page.getByRole('button', { name: /^(\d+ )?members$/i }).click();
      await page.getByRole('dialog').getByTestId('member').nth(2).waitFor();
    },
  },
  {
    name: 'edit-room',
    title: 'Edit room',
    open: async (page) => {
      await page.getByRole('button', { name: 'Edit room' }).click();
      await dialog(page, 'Edit room').waitFor();
    },
  },
  {
    name: 'leave-room',
    title: 'Leave room, asking first',
    open: async (page) => {
      await page.getByRole('button', { name: /^(\d+ )?members$/i }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Leave room' }).click();
      await page.getByRole('alertdialog').or(dialog(page, /Leave/)).first().waitFor();
    },
  },
  {
    name: 'new-dm',
    title: 'New message (a direct message)',
    open: async (page) => {
      await sidebarButton(page, 'New message');
      await dialog(page, 'New message').getByLabel('Username', { exact: true }).pressSequentially('be');
      await page.getByRole('option').first().waitFor();
    },
  },
  {
    name: 'settings',
    title: 'Settings',
    open: async (page) => {
      await sidebarButton(page, 'Settings');
      await dialog(page, 'Settings').getByRole('switch', { name: 'Share read receipts' }).waitFor();
    },
  },
  {
    name: 'quick-switcher',
    title: 'Jump to (the quick switcher)',
    open: async (page) => {
      await sidebar(page);
      await page.getByRole('button', { name: /^Jump to/ }).click();
      await dialog(page, 'Jump to').getByRole('option').first().waitFor();
    },
  },
  {
    name: 'admin-failed-jobs',
    title: 'Administration: failed jobs',
    open: async (page) => {
      await sidebar(page);
      await page.getByRole('link', { name: 'Failed jobs', exact: true }).click();
      await page.getByRole('heading', { name: 'Failed jobs' }).waitFor();
      await page.getByTestId('dead-job').first().waitFor();
    },
  },
  {
    name: 'offline',
    title: 'Reloaded without a network: the kept chat and its outbox',
    open: async (page) => {
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
        timeout: 15_000,
      });
      // The offline copy is written a moment after the room shows.
      await page.waitForTimeout(1500);
      await page.context().setOffline(true);
      await page.reload();
      await page.getByTestId('offline-banner').waitFor();
      const composer = page.getByRole('textbox', { name: 'Message', exact: true });
      await composer.fill('Back on the train in 10 minutes, will review then');
      await composer.press('Enter');
      await page.getByText('1 waiting to be sent.').waitFor();
    },
  },
];

export const THEMES: Theme[] = ['light', 'dark'];
export const DEVICES: Device[] = [DESKTOP, PHONE];

export function fileName(screen: Screen, theme: Theme, device: Device): string {
  return `${screen.name}-${theme}-${device.name}.png`;
}

/** Every screen in every theme and size; each starts from a fresh load of #design. */
export async function screenScreenshots(browser: Browser, team: Team, out: string): Promise<string[]> {
  const written: string[] = [];
  for (const theme of THEMES) {
    for (const device of DEVICES) {
      const ada = await signedIn(browser, team.base, 'ada', theme, device);
      for (const screen of SCREENS) {
        const page = screen.signedOut ? await signedOut(browser, team.base, theme, device) : ada;
        if (!screen.signedOut) {
          await page.goto(`${team.base}/r/design`);
          await page.getByText('Checklist for Friday').waitFor();
        }
        await screen.open(page, team);
        // Let transitions, the pinned-to-bottom scroll and images settle.
        await page.waitForTimeout(400);
        const file = fileName(screen, theme, device);
        await page.screenshot({ path: path.join(out, file) });
        written.push(file);
        if (screen.signedOut) await page.context().close();
      }
      await ada.context().close();
    }
  }
  return written;
}
