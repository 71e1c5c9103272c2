import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { API_PASSWORD, type ApiUser, messagesByApi, registerByApi, roomBySlug } from './support/api.js';
import { chromiumAvailable } from './support/browser.js';
import { screenshotIfAsked } from './support/screenshots.js';
import { browserSuite } from './support/suite.js';
import {
  messagesWith,
  openAuditLog,
  openFailedJobs,
  openSettings,
  receiptOf,
  roomLink,
  sendMessage,
  signIn,
  signUp,
  startDirectMessage,
  waitForConnection,
  waitForMessage,
  waitForRoom,
  waitForSent,
} from './support/ui.js';

/** Waits until the page shows `text` exactly once and no copy of it is still on its way. */
async function waitForExactlyOnce(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const rows = Array.from(document.querySelectorAll('[data-testid="message"]')).filter((row) =>
        row.textContent?.includes(wanted),
      );
      return rows.length === 1 && rows[0]?.getAttribute('data-status') === 'sent';
    },
    text,
    { timeout: 15_000 },
  );
}

async function countOnServer(url: string, as: ApiUser, roomId: string, text: string): Promise<number> {
  const messages = await messagesByApi(url, as, roomId);
  return messages.filter((message) => message.text === text).length;
}

describe.skipIf(!chromiumAvailable())('delivery guarantees in the browser', () => {
  // Test faults are refused in production; `test` runs the same server otherwise.
  const suite = browserSuite({ serverEnv: { NODE_ENV: 'test', PARLEY_TEST_FAULTS: '1' } });
  // The first account of the instance is its admin; made before any test signs anyone up.
  let admin: ApiUser;
  let witness: ApiUser;
  beforeAll(async () => {
    admin = await registerByApi(suite.server.url, 'Root');
    witness = await registerByApi(suite.server.url, 'Wendy');
  });

  test('a message sent offline waits, then is sent exactly once when the connection is back', async () => {
    const { url } = suite.server;
    const ana = await suite.person('Ana');
    await signUp(ana, url);

    await ana.context.setOffline(true);
    await waitForConnection(ana.page, 'Offline');
    const text = `Written in a tunnel ${Date.now()}`;
    await sendMessage(ana.page, text);
    const pending = messagesWith(ana.page, text);
    await pending.filter({ hasText: 'Waiting for connection' }).waitFor();
    expect(await pending.getAttribute('data-status')).toBe('pending');

    await ana.context.setOffline(false);
    await waitForSent(ana.page, text);
    await waitForExactlyOnce(ana.page, text);
    const general = await roomBySlug(url, witness, 'general');
    expect(await countOnServer(url, witness, general.id, text)).toBe(1);
  });

  test('messages whose requests failed survive a reload and are sent once each, with the same keys', async () => {
    const { url } = suite.server;
    const ben = await suite.person('Ben');
    await signUp(ben, url);
    const { page } = ben;
    const stamp = Date.now();
    // One request reaches the server but its answer is lost; every other one never leaves.
    const arrived = `Answer lost ${stamp}`;
    const neverLeft = `Never left ${stamp}`;
    const keys = new Map<string, string[]>();
    await page.route('**/jobs', async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.continue();
      const text = (request.postDataJSON() as { text: string }).text;
      const tried = keys.get(text) ?? [];
      keys.set(text, [...tried, request.headers()['idempotency-key'] ?? '']);
      if (text === arrived && tried.length === 0) await route.fetch();
      await route.abort('internetdisconnected');
    });
    await sendMessage(page, arrived);
    await sendMessage(page, neverLeft);
    await expect.poll(() => keys.get(arrived)?.length ?? 0, { timeout: 5000 }).toBeGreaterThan(0);
    // The second waits behind the first, so that they arrive in the order they were written.
    await page
      .locator('[data-testid="message"][data-status="pending"]')
      .filter({ hasText: neverLeft })
      .waitFor();

    // Reloaded while requests still fail: the one that never left is still there, waiting; the
    // one that arrived shows once (the server's copy), its outbox entry waiting behind it.
    await page.reload();
    await waitForRoom(page, 'general');
    await page
      .locator('[data-testid="message"][data-status="pending"]')
      .filter({ hasText: neverLeft })
      .waitFor();
    await waitForExactlyOnce(page, arrived);
    // The reloaded page sends it again under the key it had before.
    const before = keys.get(arrived)?.length ?? 0;
    await expect.poll(() => keys.get(arrived)?.length ?? 0, { timeout: 10_000 }).toBeGreaterThan(before);
    expect(new Set(keys.get(arrived)).size).toBe(1);
    expect(keys.has(neverLeft)).toBe(false);

    await page.unroute('**/jobs');
    await waitForExactlyOnce(page, arrived);
    await waitForExactlyOnce(page, neverLeft);
    const general = await roomBySlug(url, witness, 'general');
    expect(await countOnServer(url, witness, general.id, arrived)).toBe(1);
    expect(await countOnServer(url, witness, general.id, neverLeft)).toBe(1);
    // Nothing is left to send: a reload sends nothing again.
    await expect
      .poll(() =>
        page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('parley:outbox'))),
      )
      .toEqual([]);
  });

  test('in a DM, a message the other person is looking at shows "Seen"', async () => {
    const { url } = suite.server;
    const cleo = await suite.person('Cleo');
    const dan = await suite.person('Dan');
    await signUp(cleo, url);
    await signUp(dan, url);

    await startDirectMessage(cleo.page, dan.username);
    await waitForRoom(cleo.page, 'Dan');
    const first = `Hi Dan ${Date.now()}`;
    await sendMessage(cleo.page, first);
    await waitForSent(cleo.page, first);

    await roomLink(dan.page, 'Cleo').click();
    await waitForRoom(dan.page, 'Cleo');
    await waitForMessage(dan.page, first);

    const second = `Are you reading this? ${Date.now()}`;
    await sendMessage(cleo.page, second);
    await waitForSent(cleo.page, second);
    await waitForMessage(dan.page, second);
    await receiptOf(cleo.page, second)
      .filter({ hasText: /^Seen$/ })
      .waitFor({ timeout: 6000 });
    await screenshotIfAsked(cleo.page, 'receipts-dm');

    // Dan stops sharing read receipts: his next read shows as delivered only.
    const settings = await openSettings(dan.page);
    await screenshotIfAsked(dan.page, 'settings');
    const share = settings.getByRole('switch', { name: 'Share read receipts' });
    expect(await share.isChecked()).toBe(true);
    await settings.getByText('Share read receipts', { exact: true }).click();
    await expect.poll(() => share.isChecked()).toBe(false);
    await dan.page.keyboard.press('Escape');

    const third = `And this one? ${Date.now()}`;
    await sendMessage(cleo.page, third);
    await waitForMessage(dan.page, third);
    await receiptOf(cleo.page, third)
      .filter({ hasText: /^Delivered$/ })
      .waitFor({ timeout: 8000 });
  });

  test('an admin sees a failed job in the dead letter queue and puts it back', async () => {
    const { url } = suite.server;
    const person = await suite.person('Root');
    const root = { ...person, username: admin.user.username, password: API_PASSWORD };
    await signIn(root, url);
    const { page } = root;

    const text = `#fail:permanent boom ${Date.now()}`;
    await sendMessage(page, text);
    await page.locator('[data-testid="message"][data-status="failed"]').filter({ hasText: 'boom' }).waitFor();

    await openFailedJobs(page);
    expect(new URL(page.url()).pathname).toBe('/admin/failed-jobs');
    const row = page.getByTestId('dead-job').filter({ hasText: '#general' }).first();
    await row.waitFor();
    const jobId = await row.getAttribute('data-job-id');
    // A reload (or a pasted link) lands on the same page, not on the API's JSON.
    await page.reload();
    await row.waitFor();
    await screenshotIfAsked(page, 'dead-letters');

    const answered = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' && response.url().endsWith(`/admin/dlq/${jobId}/retry`),
    );
    await row.getByRole('button', { name: /^Retry/ }).click();
    expect((await answered).status()).toBe(202);
    await page.getByText('Message job queued again.').waitFor();
    await page.locator(`[data-job-id="${jobId}"]`).waitFor({ state: 'detached' });

    // The fault is permanent: it fails again at once and is back in the queue after a refresh.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return page.locator(`[data-job-id="${jobId}"]`).count();
        },
        { timeout: 10_000 },
      )
      .toBe(1);

    // Back to the room from the sidebar.
    await roomLink(page, 'general').click();
    await waitForRoom(page, 'general');
  });

  test('an admin reads the audit log: sign-ins, a failed one, the retried job, newest first', async () => {
    const { url } = suite.server;
    // A failed sign-in to show, with an address a trusted local proxy would pass on.
    await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.50' },
      body: JSON.stringify({ username: witness.user.username, password: 'not the password at all' }),
    });
    // A dead letter retried by the admin, by script.
    const asAdmin = { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' };
    const general = await roomBySlug(url, admin, 'general');
    const submitted = await fetch(`${url}/jobs`, {
      method: 'POST',
      headers: asAdmin,
      body: JSON.stringify({
        type: 'message',
        roomId: general.id,
        text: `#fail:permanent audit ${Date.now()}`,
      }),
    });
    const { job } = (await submitted.json()) as { job: { id: string } };
    await expect
      .poll(
        async () =>
          (
            (await (await fetch(`${url}/jobs/${job.id}`, { headers: asAdmin })).json()) as {
              job: { status: string };
            }
          ).job.status,
      )
      .toBe('failed');
    const retried = await fetch(`${url}/admin/dlq/${job.id}/retry`, { method: 'POST', headers: asAdmin });
    expect(retried.status).toBe(202);

    const person = await suite.person('Root');
    const root = { ...person, username: admin.user.username, password: API_PASSWORD };
    await signIn(root, url);
    const { page } = root;

    await openAuditLog(page);
    expect(new URL(page.url()).pathname).toBe('/admin/audit-log');
    const rows = page.getByTestId('audit-event');
    await rows.first().waitFor();
    await expect.poll(() => rows.first().textContent()).toContain('Signed in');
    await page.getByText(`Failed sign-in as “${witness.user.username}” (wrong password)`).waitFor();
    await rows.filter({ hasText: '203.0.113.50' }).first().waitFor();
    await rows
      .filter({ hasText: 'Retried a failed message job' })
      .filter({ hasText: job.id.slice(-8) })
      .waitFor();
    expect(await page.content()).not.toContain('not the password at all');
    // A reload (or a pasted link) lands on the same page, not on the API's JSON.
    await page.reload();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await rows.first().waitFor();
    await screenshotIfAsked(page, 'audit-log');
  });
});
