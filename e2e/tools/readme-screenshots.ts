/**
 * The README's screenshots: a small team's room with markdown, reactions, a thread, search,
 * a mention being typed, and the phone view. Run after a build (`npm run build`):
 *   cd e2e && npx tsx tools/readme-screenshots.ts
 * Writes docs/screenshots/*.png. A tool, not a test: it asserts nothing beyond finding what it
 * clicks.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { REPO_ROOT } from '../support/paths.js';
import { startServer } from '../support/server.js';

const OUT = path.join(REPO_ROOT, 'docs/screenshots');
const PASSWORD = 'correct horse battery staple';

interface Person {
  username: string;
  token: string;
}

async function main() {
  const server = await startServer();
  const base = server.url;
  const call = async <T>(method: string, route: string, token: string | undefined, body?: unknown) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const register = async (username: string, displayName: string): Promise<Person> => {
    const answer = await call<{ token: string }>('POST', '/auth/register', undefined, {
      username,
      displayName,
      password: PASSWORD,
    });
    return { username, token: answer.token };
  };
  const send = async (who: Person, roomId: string, text: string, replyTo?: string) => {
    const { job } = await call<{ job: { id: string } }>('POST', '/jobs', who.token, {
      type: 'message',
      roomId,
      text,
      ...(replyTo ? { replyTo } : {}),
    });
    for (;;) {
      const { job: now } = await call<{ job: { status: string; result?: { messageId: string } } }>(
        'GET',
        `/jobs/${job.id}`,
        who.token,
      );
      if (now.status === 'completed' && now.result) return now.result.messageId;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const react = (who: Person, messageId: string, emoji: string) =>
    call('PUT', `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`, who.token);

  const ada = await register('ada', 'Ada Lovelace');
  const ben = await register('ben', 'Ben Okafor');
  const chloe = await register('chloe', 'Chloé Martin');
  const { room } = await call<{ room: { id: string } }>('POST', '/rooms', ada.token, {
    name: 'design',
    slug: 'design',
    visibility: 'public',
    topic: 'Release 2.4: search, threads, phones',
  });
  for (const who of [ben, chloe]) await call('POST', `/rooms/${room.id}/join`, who.token);

  const live = await send(
    ada,
    room.id,
    'Morning! The **new search** is live: try `v1.2.3` or a piece of a URL 🎉',
  );
  const url = await send(ben, room.id, 'Nice. Does it find example.com/docs/search too?');
  const list = await send(
    chloe,
    room.id,
    'Checklist for Friday:\n- search ✅\n- threads polish\n- *phone* screenshots\n\n> ship small, ship often',
  );
  const code = await send(ada, room.id, '```ts\nconst hits = await api.search("deploy in:#design");\n```');
  await send(ben, room.id, '@ada the deploy window is 16:00 UTC, does that work?');
  for (const [who, id, emoji] of [
    [ben, live, '🎉'],
    [chloe, live, '🎉'],
    [chloe, live, '🚀'],
    [ada, url, '👍'],
    [chloe, code, '👀'],
  ] as const) {
    await react(who, id, emoji);
  }
  await send(ben, room.id, 'I will take the phone screenshots.', list);
  await send(ada, room.id, 'Threads polish is mine, PR by Thursday.', list);

  const browser = await launchBrowser();
  try {
    const light = await signedIn(browser, base, 'ada', 'light', { width: 1280, height: 800 });
    await light.goto(`${base}/r/design`);
    await light.getByText('Checklist for Friday').waitFor();
    await light.getByRole('button', { name: /2 replies/ }).click();
    await light.getByText('Threads polish is mine').last().waitFor();
    await light.waitForTimeout(400);
    await light.screenshot({ path: path.join(OUT, 'room-thread-light.png') });

    const dark = await signedIn(browser, base, 'ada', 'dark', { width: 1280, height: 800 });
    await dark.goto(`${base}/r/design`);
    await dark.getByText('Checklist for Friday').waitFor();
    await dark.getByRole('button', { name: 'Search messages' }).click();
    await dark.getByPlaceholder('Search messages').fill('deploy');
    await dark.getByPlaceholder('Search messages').press('Enter');
    await dark.locator('mark').first().waitFor();
    await dark.waitForTimeout(400);
    await dark.screenshot({ path: path.join(OUT, 'search-dark.png') });

    const benPage = await signedIn(browser, base, 'ben', 'light', { width: 1280, height: 800 });
    await benPage.goto(`${base}/r/design`);
    await benPage.getByText('Checklist for Friday').waitFor();
    const mention = await signedIn(browser, base, 'ada', 'light', { width: 1280, height: 800 });
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
    await mention.screenshot({ path: path.join(OUT, 'mention-light.png') });

    const phone = await signedIn(browser, base, 'chloe', 'dark', { width: 390, height: 844 }, true);
    await phone.goto(`${base}/r/design`);
    await phone.getByText('Checklist for Friday').waitFor();
    await phone.waitForTimeout(400);
    await phone.screenshot({ path: path.join(OUT, 'phone-dark.png') });
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function signedIn(
  browser: Browser,
  base: string,
  username: string,
  colorScheme: 'light' | 'dark',
  viewport: { width: number; height: number },
  touch = false,
): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    colorScheme,
    ...(touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  await page.goto(base);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('log').first().waitFor();
  return page;
}

await main();
