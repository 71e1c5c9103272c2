/**
 * Hostile input as a browser meets it. Script in every place a person can name something
 * (messages, room names and topics, display names, file names) is shown as text: no dialog, no
 * script runs. A page of another origin, in the browser of someone signed in, can neither write
 * with their cookie nor open their WebSocket.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRoomByApi, messagesByApi, registerByApi, roomBySlug } from './support/api.js';
import { chromiumAvailable } from './support/browser.js';
import { browserSuite, uniqueName } from './support/suite.js';
import { signUp, waitForMessage, waitForRoom } from './support/ui.js';

/** Each sets `window.__pwned` (or opens a dialog) if it ever runs. */
const PAYLOADS = [
  '<script>window.__pwned = "script"; alert(1)</script>',
  '<img src=x onerror="window.__pwned = \'img\'; alert(1)">',
  '"><svg onload="window.__pwned = \'svg\'">',
  '<a href="javascript:window.__pwned = \'link\'">click me</a>',
  '[click](javascript:window.__pwned=1)',
];

async function expectNothingRan(page: Page, dialogs: string[]) {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

describe.skipIf(!chromiumAvailable())('hostile input in the browser', () => {
  const suite = browserSuite();

  test('shows script in messages, room names, topics, display names and file names as text', async () => {
    const { url } = suite.server;
    await registerByApi(url, 'First'); // the instance admin is someone else
    const mallory = await registerByApi(url, '<img src=x onerror="window.__pwned=\'name\'">');
    const general = await roomBySlug(url, mallory, 'general');
    const slug = uniqueName('trap').replace(/_/g, '-');
    const trap = await createRoomByApi(url, mallory, {
      name: '<svg onload="window.__pwned=\'room\'">',
      slug,
      visibility: 'public',
      topic: '<script>window.__pwned="topic"</script>',
    });
    const post = (roomId: string, body: object) =>
      fetch(`${url}/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mallory.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ roomId, ...body }),
      }).then((response) => expect(response.status).toBe(202));
    for (const text of PAYLOADS) await post(general.id, { type: 'message', text });
    await post(general.id, {
      type: 'file',
      fileName: '<img src=x onerror=alert(1)>.html',
      contentType: 'text/html',
      data: Buffer.from('<script>alert(1)</script>').toString('base64'),
      caption: '<b onmouseover=alert(1)>caption</b>',
    });

    const victim = await suite.person('Victim');
    const dialogs: string[] = [];
    victim.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signUp(victim, url);
    for (const text of PAYLOADS) await waitForMessage(victim.page, text);
    await waitForMessage(victim.page, '<b onmouseover=alert(1)>caption</b>');
    await expectNothingRan(victim.page, dialogs);
    // The display name is there as the characters it is made of.
    expect(await victim.page.getByText(mallory.user.displayName).count()).toBeGreaterThan(0);
    // Hovering and clicking what looks like a link runs nothing either.
    await victim.page
      .getByText('click me')
      .first()
      .click({ trial: false })
      .catch(() => {});
    await victim.page.getByText('<b onmouseover=alert(1)>caption</b>').hover();

    await victim.page.goto(`${url}/r/${trap.slug}`);
    await waitForRoom(victim.page, '<svg onload="window.__pwned=\'room\'">');
    expect(await victim.page.getByText('<script>window.__pwned="topic"</script>').count()).toBeGreaterThan(0);
    await expectNothingRan(victim.page, dialogs);
  });

  describe('a page of another origin', () => {
    let foreign: http.Server;
    let foreignUrl: string;

    beforeAll(async () => {
      foreign = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Free prizes</title><p>Nothing to see</p>');
      });
      await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
      // Another port of the app's own host: another origin but the same site, so the browser
      // does send the SameSite=Lax cookie with its requests; only the server's origin check
      // stands between this page and the person's session.
      foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));

    test('cannot write with the signed-in person’s cookie, nor open their WebSocket', async () => {
      const { url } = suite.server;
      const victim = await suite.person('Target');
      await signUp(victim, url);
      const general = await victim.page.evaluate(async () => {
        const response = await fetch('/rooms', { credentials: 'include' });
        const { rooms } = (await response.json()) as { rooms: { id: string; slug: string }[] };
        return rooms.find((room) => room.slug === 'general')?.id;
      });
      expect(general).toEqual(expect.any(String));

      const attacker = await victim.context.newPage();
      await attacker.goto(foreignUrl);
      const outcome = await attacker.evaluate(
        async ({ app, roomId }) => {
          const body = JSON.stringify({ type: 'message', roomId, text: 'sent by a foreign page' });
          const attempts: string[] = [];
          // A form post (a simple request: no preflight, sent with the cookie), as a hidden
          // <form> would: a file upload the server would accept from the app itself.
          try {
            const form = new FormData();
            form.set('type', 'file');
            form.set('roomId', roomId);
            form.set('caption', 'sent by a foreign page');
            form.set('file', new Blob(['planted']), 'planted.txt');
            const response = await fetch(`${app}/jobs`, {
              method: 'POST',
              credentials: 'include',
              mode: 'no-cors',
              body: form,
            });
            attempts.push(`no-cors:${response.type}`);
          } catch (error) {
            attempts.push(`no-cors:${String(error)}`);
          }
          // A JSON request needs CORS: refused before or at the preflight.
          try {
            const response = await fetch(`${app}/jobs`, {
              method: 'POST',
              credentials: 'include',
              headers: { 'content-type': 'application/json' },
              body,
            });
            attempts.push(`cors:${response.status}`);
          } catch {
            attempts.push('cors:blocked');
          }
          const socket = await new Promise<string>((resolve) => {
            const ws = new WebSocket(`${app.replace('http', 'ws')}/ws`);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
            setTimeout(() => resolve('timeout'), 5000);
          });
          attempts.push(`ws:${socket}`);
          return attempts;
        },
        { app: url, roomId: general as string },
      );
      expect(outcome).toContain('cors:blocked');
      expect(outcome).toContain('ws:refused');

      // And nothing was written: the room has no message from the foreign page.
      const reader = await registerByApi(url, 'Reader');
      const messages = await messagesByApi(url, reader, general as string);
      expect(messages.map((message) => message.text)).not.toContain('sent by a foreign page');
    });
  });
});
