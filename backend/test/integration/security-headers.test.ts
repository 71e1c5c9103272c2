/**
 * Security headers, proxy trust, the session cookie's name and flags, and who may read /metrics,
 * against real server processes. The test client is on loopback, so with the default
 * TRUST_PROXY=loopback its X-Forwarded-* headers are those of a trusted local balancer; with
 * TRUST_PROXY=false they are ignored.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Message } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  type ApiResponse,
  errorOf,
  expectStatus,
  generalRoom,
  messagesPage,
  register,
  request,
  uniqueName,
  upgradeStatus,
  waitForCompletion,
} from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

const METRICS_TOKEN = 'scrape-me-with-this-long-token';
const OTHER_ORIGIN = 'https://chat.example.com';
const API_CSP = "default-src 'none';frame-ancestors 'none'";
const FILE_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox";
const HTTPS = { 'x-forwarded-proto': 'https' };

/** A built web app stand-in: the headers of the document are under test, not the app. */
const webDist = mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
mkdirSync(path.join(webDist, 'assets'));
writeFileSync(
  path.join(webDist, 'index.html'),
  '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body></body></html>',
);
writeFileSync(path.join(webDist, 'assets', 'app.js'), 'console.log("parley");\n');

let server: TestServer;
/** TRUST_PROXY=false and METRICS_TOKEN set. */
let untrusting: TestServer;
let alice: Account;

beforeAll(async () => {
  [server, untrusting] = await Promise.all([
    startServer({ env: { WEB_DIST_DIR: webDist, ALLOWED_ORIGINS: OTHER_ORIGIN } }),
    startServer({ env: { WEB_DIST_DIR: webDist, TRUST_PROXY: 'false', METRICS_TOKEN } }),
  ]);
  alice = await register(server);
});

afterAll(async () => {
  await Promise.all([server?.dispose(), untrusting?.dispose()]);
  rmSync(webDist, { recursive: true, force: true });
});

/** `{directive: [sources]}` of a Content-Security-Policy header. */
function cspOf(response: ApiResponse): Record<string, string[]> {
  const header = response.headers.get('content-security-policy') ?? '';
  return Object.fromEntries(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

/** The headers every answer carries, whatever it is. */
function expectBaseHeaders(response: ApiResponse): void {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('x-powered-by')).toBeNull();
}

/** A GET with exactly these headers (fetch would not send a Host of our choosing). */
function rawGet(
  target: TestServer,
  pathname: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: target.httpPort, path: pathname, headers, setHost: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const page = (target: TestServer, pathname = '/', headers: Record<string, string> = {}) =>
  request(target, pathname, { headers: { accept: 'text/html', ...headers } });

describe('the web app document', () => {
  it('has a strict Content-Security-Policy: own scripts and styles only, no inline code', async () => {
    for (const pathname of ['/', '/r/general', '/index.html']) {
      const response = await page(server, pathname);
      expect(response.status, pathname).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expectBaseHeaders(response);
      const csp = cspOf(response);
      expect(csp['default-src']).toEqual(["'self'"]);
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['style-src']).toEqual(["'self'"]);
      expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:']);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(csp['base-uri']).toEqual(["'self'"]);
      expect(csp['form-action']).toEqual(["'self'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/);
    }
  });

  it('may connect to itself, to both WebSocket listeners on its host, and to ALLOWED_ORIGINS', async () => {
    const connect = cspOf(await page(server))['connect-src'];
    expect(connect).toEqual(
      expect.arrayContaining([
        "'self'",
        `ws://127.0.0.1:${server.httpPort}`,
        `wss://127.0.0.1:${server.httpPort}`,
        `ws://127.0.0.1:${server.wsPort}`,
        `wss://127.0.0.1:${server.wsPort}`,
        OTHER_ORIGIN,
        'wss://chat.example.com',
      ]),
    );
    const other = cspOf(await page(untrusting))['connect-src'];
    expect(other).not.toContain(OTHER_ORIGIN);
  });

  it('never echoes a Host header that could change the policy', async () => {
    const answer = await rawGet(server, '/', {
      host: "evil.example;script-src 'unsafe-inline'",
      accept: 'text/html',
    });
    expect(answer.status).toBe(200);
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('evil');
    expect(csp).toContain(`connect-src 'self' ${OTHER_ORIGIN} wss://chat.example.com;`);
  });

  it("keeps the document's policy off its scripts, which carry the API's", async () => {
    const script = await request(server, '/assets/app.js');
    expect(script.status).toBe(200);
    expectBaseHeaders(script);
    expect(script.headers.get('content-security-policy')).toBe(API_CSP);
  });

  it("answers a missing asset (an older deploy's hash) with the contract's 404, not a 500 or the page", async () => {
    const missing = await request(server, '/assets/app-0ld.js', { headers: { accept: 'text/html' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type') ?? '').toMatch(/^application\/json/);
    expectBaseHeaders(missing);
  });
});

describe('API answers', () => {
  it("carry the base headers and a CSP that allows nothing, on success and on every error's shape", async () => {
    const answers = [
      await alice.api.get('/me'),
      await request(server, '/healthz'),
      await request(server, '/me'),
      await alice.api.get('/rooms/no-such-room'),
      await request(server, '/auth/login', {
        body: '{not json',
        headers: { 'content-type': 'application/json' },
      }),
      await request(server, '/healthz/nope'),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 401, 404, 400, 404]);
    for (const answer of answers) {
      expectBaseHeaders(answer);
      expect(answer.headers.get('content-security-policy')).toBe(API_CSP);
      expect(answer.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('a file download keeps its own sandboxing CSP and headers', async () => {
    const general = await generalRoom(alice);
    const submitted = await alice.api.post<{ job: { id: string } }>('/jobs', {
      type: 'file',
      roomId: general.id,
      fileName: 'note.txt',
      contentType: 'text/plain',
      data: Buffer.from('hello, headers\n').toString('base64'),
    });
    expectStatus(submitted, 202, 'POST /jobs (file)');
    const done = await waitForCompletion(alice, submitted.body.job.id);
    const { messages } = await messagesPage(alice, general.id, `?after=${done.result.seq - 1}&limit=1`);
    const message = messages.find((each: Message) => each.id === done.result.messageId);
    const url = message?.attachment?.url;
    if (!url) throw new Error(`the file message has no attachment: ${JSON.stringify(message)}`);

    const file = await alice.api.get(url);
    expect(file.status).toBe(200);
    expect(file.text).toBe('hello, headers\n');
    expectBaseHeaders(file);
    expect(file.headers.get('content-security-policy')).toBe(FILE_CSP);
    expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(/^inline; filename="note.txt"/);
    expect(file.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
  });
});

describe('HTTPS behind a proxy (TRUST_PROXY)', () => {
  it('sends HSTS only when a trusted proxy says the request came over HTTPS', async () => {
    expect((await page(server)).headers.get('strict-transport-security')).toBeNull();
    const secure = await page(server, '/', HTTPS);
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect((await alice.api.get('/me', HTTPS)).headers.get('strict-transport-security')).toBe(
      'max-age=31536000',
    );
    // TRUST_PROXY=false: nobody's X-Forwarded-Proto is believed.
    expect((await page(untrusting, '/', HTTPS)).headers.get('strict-transport-security')).toBeNull();
  });

  it('takes the scheme of the own origin from a trusted proxy only, on REST and WebSocket alike', async () => {
    const httpsOrigin = (target: TestServer) => ({ origin: `https://127.0.0.1:${target.httpPort}` });
    const bob = await register(untrusting);
    const write = (target: TestServer, cookie: string, headers: Record<string, string>) =>
      request(target, '/rooms', {
        json: { name: uniqueName('room'), visibility: 'public' },
        headers: { cookie, ...headers },
      });

    // The page is https://…: a trusted proxy says so, and the cookie write is the app's own.
    expect((await write(server, alice.cookie, { ...HTTPS, ...httpsOrigin(server) })).status).toBe(201);
    expect((await write(server, alice.cookie, httpsOrigin(server))).status).toBe(403);
    // Nobody is trusted: an https:// Origin is foreign to this plain-HTTP server.
    const refused = await write(untrusting, bob.cookie, { ...HTTPS, ...httpsOrigin(untrusting) });
    expect(refused.status).toBe(403);
    expect(errorOf(refused).code).toBe('origin_not_allowed');

    // The WebSocket edge: past the Origin check means 401 (no credentials), refused there 403.
    for (const url of [server.wsUrl, server.wsPortUrl]) {
      expect(await upgradeStatus(url, { ...HTTPS, ...httpsOrigin(server) })).toBe(401);
      expect(await upgradeStatus(url, httpsOrigin(server))).toBe(403);
    }
    for (const url of [untrusting.wsUrl, untrusting.wsPortUrl]) {
      expect(await upgradeStatus(url, { ...HTTPS, ...httpsOrigin(untrusting) })).toBe(403);
    }
  });

  it('refuses to start with a TRUST_PROXY it cannot read, naming it', async () => {
    const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
      cwd: backendDir,
      env: { ...process.env, NODE_ENV: 'test', TRUST_PROXY: '10.0.0.0/33', HTTP_PORT: '0', WS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/TRUST_PROXY: "10\.0\.0\.0\/33" is not an address/);
  });
});

describe('the session cookie', () => {
  const signIn = (target: TestServer, account: Account, headers: Record<string, string> = {}) =>
    request<{ token: string }>(target, '/auth/login', {
      json: { username: account.username, password: account.password },
      headers,
    });
  const setCookies = (response: ApiResponse) => response.headers.getSetCookie();

  it('is __Host-parley_session with Secure over HTTPS, parley_session without it over HTTP', async () => {
    const secure = setCookies(await signIn(server, alice, HTTPS));
    const session = secure.find((cookie) => cookie.startsWith('__Host-parley_session='));
    expect(session).toBeDefined();
    expect(session).toMatch(/; Path=\/(;|$)/);
    expect(session).toMatch(/; HttpOnly(;|$)/);
    expect(session).toMatch(/; Secure(;|$)/);
    expect(session).toMatch(/; SameSite=Lax(;|$)/);
    expect(session).not.toMatch(/Domain=/i);
    // A session cookie of the plain name from before is removed.
    expect(secure.find((cookie) => cookie.startsWith('parley_session=;'))).toMatch(
      /Expires=Thu, 01 Jan 1970/,
    );

    const plain = setCookies(await signIn(server, alice));
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatch(/^parley_session=[^;]+; /);
    expect(plain[0]).toMatch(/; HttpOnly(;|$)/);
    expect(plain[0]).toMatch(/; SameSite=Lax(;|$)/);
    expect(plain[0]).not.toMatch(/Secure/);

    // Without a trusted proxy the forwarded scheme does not make the request secure.
    const bob = await register(untrusting);
    const untrusted = setCookies(await signIn(untrusting, bob, HTTPS));
    expect(untrusted).toHaveLength(1);
    expect(untrusted[0]).toMatch(/^parley_session=/);
    expect(untrusted[0]).not.toMatch(/Secure/);
  });

  it('is accepted under either name; of both, the __Host- one counts', async () => {
    const token = (await signIn(server, alice)).body.token;
    const me = (cookie: string) => request(server, '/me', { headers: { cookie } });
    expect((await me(`__Host-parley_session=${token}`)).status).toBe(200);
    expect((await me(`parley_session=${token}`)).status).toBe(200);
    expect((await me(`parley_session=forged; __Host-parley_session=${token}`)).status).toBe(200);
    expect((await me(`parley_session=${token}; __Host-parley_session=forged`)).status).toBe(401);
  });

  it('is cleared under both names on logout over HTTPS', async () => {
    const token = (await signIn(server, alice)).body.token;
    const logout = await request(server, '/auth/logout', { method: 'POST', token, headers: HTTPS });
    expect(logout.status).toBe(204);
    const cleared = setCookies(logout).map((cookie) => cookie.split('=')[0]);
    expect(cleared.sort()).toEqual(['__Host-parley_session', 'parley_session']);
    expect(setCookies(logout).find((cookie) => cookie.startsWith('__Host-'))).toMatch(/; Secure(;|$)/);
  });
});

describe('/metrics', () => {
  it('answers a loopback client when METRICS_TOKEN is unset', async () => {
    const metrics = await request(server, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('# TYPE');
    expectBaseHeaders(metrics);
  });

  it('is an unknown endpoint to a request a balancer forwarded, whatever X-Forwarded-For says', async () => {
    for (const forwardedFor of ['203.0.113.9', '127.0.0.1']) {
      const forwarded = await request(server, '/metrics', { headers: { 'x-forwarded-for': forwardedFor } });
      expect(forwarded.status).toBe(404);
      expect(errorOf(forwarded).code).toBe('not_found');
    }
  });

  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((entry) => entry && !entry.internal && entry.family === 'IPv4')?.address;

  it.skipIf(external === undefined)('is an unknown endpoint to a client on another address', async () => {
    const response = await request({ httpUrl: `http://${external}:${server.httpPort}` }, '/metrics');
    expect(response.status).toBe(404);
    expect((await request({ httpUrl: `http://${external}:${server.httpPort}` }, '/healthz')).status).toBe(
      200,
    );
  });

  it('needs Authorization: Bearer METRICS_TOKEN when it is set, even from loopback', async () => {
    const none = await request(untrusting, '/metrics');
    expect(none.status).toBe(401);
    expect(errorOf(none).code).toBe('unauthenticated');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await request(untrusting, '/metrics', { token: `${METRICS_TOKEN}x` })).status).toBe(401);
    expect((await request(untrusting, '/metrics', { token: 'short' })).status).toBe(401);
    const session = (await register(untrusting)).token;
    expect((await request(untrusting, '/metrics', { token: session })).status).toBe(401);

    const metrics = await request(untrusting, '/metrics', {
      token: METRICS_TOKEN,
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('# TYPE');
  });
});
