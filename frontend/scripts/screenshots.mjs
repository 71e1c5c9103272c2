// Renders the sign-in screen and the chat screen against a mocked API and WebSocket, at desktop
// and phone widths. Needs the dev server (`npx vite --port 5173`) and Chromium.
// Usage: node scripts/screenshots.mjs [outDir]   (default /tmp/shots)
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const outDir = process.argv[2] ?? '/tmp/shots';
const appUrl = process.env.APP_URL ?? 'http://localhost:5173/';
const api = 'http://localhost:3000';
mkdirSync(outDir, { recursive: true });

const me = { id: 'u-me', username: 'maya', displayName: 'Maya Chen', role: 'admin' };
const people = {
  sam: { id: 'u-sam', username: 'sam', displayName: 'Sam Okafor' },
  lea: { id: 'u-lea', username: 'lea', displayName: 'Léa Martin' },
  me: { id: me.id, username: me.username, displayName: me.displayName },
};
const rooms = [
  room('r-general', 'general', 'general', 'Company-wide announcements and everything else', 'public', 9),
  room('r-design', 'design', 'design', 'Pixels, type and taste', 'public', 3),
  room('r-ops', 'ops', 'ops-oncall', '', 'private', 4),
  room('r-dm', 'dm-sam', 'Sam Okafor', '', 'dm', 2),
];

function room(id, slug, name, topic, visibility, lastSeq) {
  return { id, slug, name, topic, visibility, lastSeq, membership: 'member' };
}

const today = new Date();
const at = (hours, minutes) => {
  const date = new Date(today);
  date.setHours(hours, minutes, 0, 0);
  return date.toISOString();
};
const yesterday = (hours, minutes) => {
  const date = new Date(today);
  date.setDate(date.getDate() - 1);
  date.setHours(hours, minutes, 0, 0);
  return date.toISOString();
};

let seq = 0;
const msg = (author, text, createdAt, extra = {}) => {
  seq += 1;
  return { id: `m-${seq}`, roomId: 'r-general', seq, author, text, createdAt, ...extra };
};
const messages = [
  msg(people.sam, 'Morning all! The staging deploy is green again 🎉', yesterday(9, 12)),
  msg(people.sam, 'Thanks to Léa for chasing down that flaky migration.', yesterday(9, 13)),
  msg(
    people.lea,
    'Happy to help. Notes are in https://wiki.example.com/runbooks/migrations',
    yesterday(9, 20),
  ),
  msg(people.me, 'Here are the mockups for the new onboarding flow', at(10, 2), {
    attachment: {
      id: 'f-1',
      fileName: 'onboarding-mockup.png',
      contentType: 'image/png',
      size: 482113,
      url: '/files/f-1',
      thumbnailUrl: '/files/f-1/thumbnail',
      width: 1600,
      height: 1000,
    },
  }),
  msg(people.me, 'Feedback welcome before Thursday.\nEspecially on the empty states.', at(10, 3), {
    editedAt: at(10, 5),
  }),
  msg(people.lea, 'Love the colours. Attaching the copy deck so we can line up the wording:', at(10, 14)),
  msg(people.lea, '', at(10, 14), {
    attachment: {
      id: 'f-2',
      fileName: 'onboarding-copy-v3.pdf',
      contentType: 'application/pdf',
      size: 1_284_001,
      url: '/files/f-2',
    },
  }),
  msg(people.sam, '', at(10, 31), { deleted: true }),
  msg(people.sam, 'Looks great. Ship it after the review? 🚢', at(10, 32)),
];

const thumbnail = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" viewBox="0 0 640 400">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#7b61ff"/><stop offset="1" stop-color="#ff8fb1"/></linearGradient></defs>
<rect width="640" height="400" fill="url(#g)"/>
<rect x="60" y="60" width="240" height="280" rx="18" fill="#fff" opacity=".95"/>
<rect x="84" y="92" width="120" height="14" rx="7" fill="#5b45d6"/>
<rect x="84" y="122" width="190" height="10" rx="5" fill="#d9d3ea"/>
<rect x="84" y="142" width="160" height="10" rx="5" fill="#d9d3ea"/>
<rect x="84" y="280" width="190" height="36" rx="8" fill="#5b45d6"/>
<circle cx="470" cy="170" r="86" fill="#fff" opacity=".25"/><circle cx="520" cy="270" r="50" fill="#fff" opacity=".2"/>
</svg>`;

const json = (body, status = 200) => ({
  status,
  contentType: 'application/json',
  headers: {
    'Access-Control-Allow-Origin': 'http://localhost:5173',
    'Access-Control-Allow-Credentials': 'true',
  },
  body: JSON.stringify(body),
});

async function mockApi(page, { signedIn }) {
  await page.route(`${api}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const cors = {
      'Access-Control-Allow-Origin': 'http://localhost:5173',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Headers': 'Content-Type, Idempotency-Key, Accept',
      'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE',
    };
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    const path = url.pathname;
    if (path === '/me') {
      return route.fulfill(
        signedIn
          ? json({ user: me })
          : json({ error: { code: 'unauthenticated', message: 'Sign in first.' } }, 401),
      );
    }
    if (path === '/auth/register') {
      return route.fulfill(
        json(
          {
            error: {
              code: 'validation_failed',
              message: 'Some fields are not valid.',
              details: { fields: [{ path: 'username', message: 'is already taken' }] },
            },
          },
          400,
        ),
      );
    }
    if (path === '/auth/ws-ticket') return route.fulfill(json({ ticket: 't-1', expiresAt: at(23, 0) }));
    if (path === '/rooms') return route.fulfill(json({ rooms }));
    if (path === '/rooms/r-general/messages') return route.fulfill(json({ messages, hasMore: false }));
    if (path.startsWith('/rooms/')) return route.fulfill(json({ messages: [], events: [], hasMore: false }));
    if (path === '/jobs') {
      const body = request.postData() ?? '';
      if (body.includes('#fail')) {
        return route.fulfill(json({ error: { code: 'unavailable', message: 'The server is busy.' } }, 503));
      }
      return route.fulfill(
        json(
          {
            job: {
              id: `j-${Date.now()}`,
              type: 'message',
              status: 'queued',
              roomId: 'r-general',
              attempts: 0,
              createdAt: at(10, 40),
              updatedAt: at(10, 40),
            },
          },
          202,
        ),
      );
    }
    if (path.startsWith('/files/')) {
      return route.fulfill({ status: 200, contentType: 'image/svg+xml', headers: cors, body: thumbnail });
    }
    return route.fulfill(json({ error: { code: 'not_found', message: 'Not found.' } }, 404));
  });
  await page.routeWebSocket('ws://localhost:8080/**', (ws) => {
    ws.onMessage((data) => {
      const frame = JSON.parse(String(data));
      if (frame.type === 'ping') ws.send(JSON.stringify({ type: 'pong', ref: frame.ref }));
    });
    ws.send(
      JSON.stringify({
        type: 'ready',
        user: me,
        rooms: rooms.map((r) => ({ roomId: r.id, lastSeq: r.lastSeq })),
        heartbeatMs: 25000,
      }),
    );
  });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});

const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

try {
  for (const [name, viewport] of Object.entries(viewports)) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: name === 'phone' ? 2 : 1 });

    const signIn = await context.newPage();
    await mockApi(signIn, { signedIn: false });
    await signIn.goto(appUrl);
    await signIn.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn.screenshot({ path: `${outDir}/signin-${name}.png` });
    await signIn.getByRole('link', { name: 'Create account' }).click();
    await signIn.getByLabel('Username').fill('maya');
    await signIn.getByLabel('Display name').fill('Maya Chen');
    await signIn.getByLabel('Password').fill('short');
    await signIn.getByRole('button', { name: 'Create account' }).click();
    await signIn.screenshot({ path: `${outDir}/register-errors-${name}.png` });
    await signIn.getByLabel('Password').fill('long enough password');
    await signIn.getByRole('button', { name: 'Create account' }).click();
    await signIn.getByText('is already taken').waitFor();
    await signIn.screenshot({ path: `${outDir}/register-server-errors-${name}.png` });
    await signIn.close();

    const chat = await context.newPage();
    await mockApi(chat, { signedIn: true });
    await chat.goto(appUrl);
    await chat.getByTestId('connection-status').getByText('Connected').waitFor();
    await chat.getByLabel('Message').fill('This one is still on its way…');
    await chat.getByLabel('Message').press('Enter');
    await chat.getByLabel('Message').fill('#fail and this one could not be sent');
    await chat.getByLabel('Message').press('Enter');
    await chat.getByRole('button', { name: 'Retry' }).waitFor();
    await chat.getByLabel('Message').fill('Drafting a reply…');
    await chat.waitForTimeout(300);
    await chat.screenshot({ path: `${outDir}/chat-${name}.png` });

    if (name === 'desktop') {
      const own = chat.locator('[data-testid="message"][data-status="sent"]').last();
      await own.hover();
      await chat.screenshot({ path: `${outDir}/chat-hover-${name}.png` });
      await chat.getByRole('link', { name: 'onboarding-mockup.png' }).click();
      await chat.getByRole('dialog').waitFor();
      await chat.waitForTimeout(400);
      await chat.screenshot({ path: `${outDir}/lightbox-${name}.png` });
      await chat.keyboard.press('Escape');
    } else {
      await chat.getByRole('button', { name: 'Open rooms' }).click();
      await chat.waitForTimeout(300);
      await chat.screenshot({ path: `${outDir}/sidebar-${name}.png` });
    }
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`screenshots in ${outDir}`);
