import type { User } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSocket,
  errorOf,
  expectStatus,
  fieldPaths,
  openSocket,
  register,
  request,
  sessionCookie,
  uniqueName,
  upgradeStatus,
} from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.dispose());

const signUp = (json: unknown) => request<{ user: User; token: string }>(server, '/auth/register', { json });

describe('signing up', () => {
  // Must run first: it creates the instance's first account.
  it('gives the first account the admin role and later ones the member role', async () => {
    const first = await signUp({ username: uniqueName('first'), password: 'correct horse battery' });
    expect(first.status).toBe(201);
    expect(first.body.user.role).toBe('admin');
    const second = await signUp({ username: uniqueName('second'), password: 'correct horse battery' });
    expect(second.status).toBe(201);
    expect(second.body.user.role).toBe('member');
  });

  it('answers 201 with the user and a token, folds the username to lower case, defaults the display name', async () => {
    const name = uniqueName('Alice');
    const response = await signUp({ username: name.toUpperCase(), password: 'correct horse battery' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const { user, token } = response.body;
    expect(typeof token).toBe('string');
    expect(token.length).toBeGreaterThan(0);
    expect(user).toEqual({
      id: expect.any(String),
      username: name.toLowerCase(),
      displayName: name.toLowerCase(),
      role: 'member',
      avatarUrl: null,
    });
  });

  it('keeps a given display name', async () => {
    const response = await signUp({
      username: uniqueName('bob'),
      password: 'correct horse battery',
      displayName: 'Bob the Builder 🛠️',
    });
    expect(response.status).toBe(201);
    expect(response.body.user.displayName).toBe('Bob the Builder 🛠️');
  });

  it('refuses the most common passwords with 400 naming the field, in any case', async () => {
    for (const password of ['password1', 'Sunshine1', 'qwertyuiop', '123456789']) {
      const response = await request(server, '/auth/register', {
        json: { username: uniqueName('common'), password },
      });
      expect(response.status, password).toBe(400);
      expect(fieldPaths(response)).toEqual(['password']);
    }
  });

  it('refuses a taken username in another case with 409 conflict', async () => {
    const name = uniqueName('carol');
    expect((await signUp({ username: name, password: 'correct horse battery' })).status).toBe(201);
    const again = await signUp({ username: name.toUpperCase(), password: 'another password' });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('conflict');
  });

  it.each([
    ['a too short username', { username: 'ab', password: 'correct horse battery' }, 'username'],
    ['a too long username', { username: 'a'.repeat(33), password: 'correct horse battery' }, 'username'],
    [
      'a username with bad characters',
      { username: 'bad name!', password: 'correct horse battery' },
      'username',
    ],
    ['a missing username', { password: 'correct horse battery' }, 'username'],
    ['a too short password', { username: uniqueName('dave'), password: 'short12' }, 'password'],
    ['a too long password', { username: uniqueName('dave'), password: 'p'.repeat(257) }, 'password'],
    ['a password that is not a string', { username: uniqueName('dave'), password: 12345678 }, 'password'],
    [
      'a too long display name',
      { username: uniqueName('dave'), password: 'correct horse battery', displayName: 'd'.repeat(65) },
      'displayName',
    ],
  ])('refuses %s with 400 validation_failed naming the field', async (_what, body, field) => {
    const response = await signUp(body);
    expect(response.status).toBe(400);
    const error = errorOf(response);
    expect(error.code).toBe('validation_failed');
    expect(fieldPaths(response)).toContain(field);
    for (const entry of error.details?.fields ?? []) expect(typeof entry.message).toBe('string');
  });

  it('counts code points: a 64-emoji display name and a 256-character password are accepted', async () => {
    const response = await signUp({
      username: uniqueName('emoji'),
      password: '🔑'.repeat(256),
      displayName: '😀'.repeat(64),
    });
    expect(response.status).toBe(201);
    expect(response.body.user.displayName).toBe('😀'.repeat(64));
  });

  it('refuses a malformed JSON body with 400 invalid_json', async () => {
    const response = await request(server, '/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": "x", ',
    });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('invalid_json');
  });

  it('refuses a body that is not JSON with 415 unsupported_media_type', async () => {
    const response = await request(server, '/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'username=x&password=y',
    });
    expect(response.status).toBe(415);
    expect(errorOf(response).code).toBe('unsupported_media_type');
  });
});

describe('signing in and out', () => {
  it('logs in with the right password', async () => {
    const account = await register(server);
    const response = await request<{ user: User; token: string }>(server, '/auth/login', {
      json: { username: account.username, password: account.password },
    });
    expect(response.status).toBe(200);
    expect(response.body.user).toEqual(account.user);
    expect(typeof response.body.token).toBe('string');
    const me = await request<{ user: User }>(server, '/me', { token: response.body.token });
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual(account.user);
  });

  it('answers a wrong password and an unknown user alike with 401 unauthenticated', async () => {
    const account = await register(server);
    const wrongPassword = await request(server, '/auth/login', {
      json: { username: account.username, password: 'not the password' },
    });
    const unknownUser = await request(server, '/auth/login', {
      json: { username: uniqueName('nobody'), password: 'not the password' },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(errorOf(wrongPassword).code).toBe('unauthenticated');
    expect(errorOf(unknownUser)).toEqual(errorOf(wrongPassword));
  });

  it('answers GET /me with the Bearer token and with the session cookie', async () => {
    const account = await register(server);
    const withBearer = await account.api.get<{ user: User }>('/me');
    expect(withBearer.status).toBe(200);
    // `limits` is an addition (docs/api/openapi.yaml): what the web app checks before uploading.
    expect(withBearer.body).toEqual({ user: account.user, limits: { maxUploadBytes: expect.any(Number) } });

    expect(account.cookie).toMatch(/^[^=;\s]+=[^;]+$/);
    const withCookie = await request<{ user: User }>(server, '/me', { headers: { cookie: account.cookie } });
    expect(withCookie.status).toBe(200);
    expect(withCookie.body.user).toEqual(account.user);
  });

  it('sets an HttpOnly SameSite=Lax session cookie on login too', async () => {
    const account = await register(server);
    const response = await request(server, '/auth/login', {
      json: { username: account.username, password: account.password },
    });
    const setCookie = response.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = sessionCookie(response.headers);
    expect((await request(server, '/me', { headers: { cookie } })).status).toBe(200);
  });

  it('refuses GET /me without credentials or with a bad token with 401', async () => {
    const none = await request(server, '/me');
    expect(none.status).toBe(401);
    expect(errorOf(none).code).toBe('unauthenticated');
    const bad = await request(server, '/me', { token: 'not-a-real-token' });
    expect(bad.status).toBe(401);
    expect(errorOf(bad).code).toBe('unauthenticated');
  });

  it('ends the session on logout: 204, then 401 over HTTP and the open socket closed with 4001 within a second', async () => {
    const account = await register(server);
    const other = await request<{ token: string }>(server, '/auth/login', {
      json: { username: account.username, password: account.password },
    });
    expectStatus(other, 200, 'a second login');
    const socket = await connectSocket(server, account.token);

    const loggedOutAt = Date.now();
    const logout = await account.api.post('/auth/logout');
    expect(logout.status).toBe(204);
    const closed = await Promise.race([
      socket.closed,
      new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 1_500)),
    ]);
    expect(closed).not.toBe('still open');
    expect(closed).toMatchObject({ code: 4001 });
    expect(Date.now() - loggedOutAt).toBeLessThan(1_500);

    const me = await account.api.get('/me');
    expect(me.status).toBe(401);
    expect(errorOf(me).code).toBe('unauthenticated');
    expect(await upgradeStatus(server.wsUrl, { authorization: `Bearer ${account.token}` })).toBe(401);
    // Another session of the same user is not affected.
    expect((await request(server, '/me', { token: other.body.token })).status).toBe(200);
  });
});

describe('WebSocket tickets', () => {
  it('issues a single-use ticket valid for about 30 seconds', async () => {
    const account = await register(server);
    const response = await account.api.post<{ ticket: string; expiresAt: string }>('/auth/ws-ticket');
    expect(response.status).toBe(200);
    const { ticket, expiresAt } = response.body;
    expect(typeof ticket).toBe('string');
    const expiresIn = Date.parse(expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(20_000);
    expect(expiresIn).toBeLessThanOrEqual(31_000);

    const url = `${server.wsUrl}?ticket=${encodeURIComponent(ticket)}`;
    const socket = await openSocket(url);
    expect(socket.ready.user).toEqual(account.user);
    await socket.close();

    expect(await upgradeStatus(url)).toBe(401);
    expect(await upgradeStatus(`${server.wsPortUrl}?ticket=${encodeURIComponent(ticket)}`)).toBe(401);
  });

  it('refuses an unknown ticket with 401', async () => {
    expect(await upgradeStatus(`${server.wsUrl}?ticket=made-up-ticket`)).toBe(401);
  });
});

describe('cross-site protection of cookie sessions', () => {
  it('refuses a cookie-authenticated POST without Origin or Referer with 403 origin_not_allowed', async () => {
    const account = await register(server);
    const response = await request(server, '/auth/ws-ticket', {
      method: 'POST',
      headers: { cookie: account.cookie },
    });
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe('origin_not_allowed');
  });

  it('refuses a cookie-authenticated POST from a foreign origin', async () => {
    const account = await register(server);
    const response = await request(server, '/auth/ws-ticket', {
      method: 'POST',
      headers: { cookie: account.cookie, origin: 'http://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe('origin_not_allowed');
    const localhost = await request(server, '/auth/ws-ticket', {
      method: 'POST',
      headers: { cookie: account.cookie, origin: `http://localhost:${server.httpPort}` },
    });
    expect(localhost.status).toBe(403);
  });

  it("accepts a cookie-authenticated POST from the app's own origin, or with its Referer", async () => {
    const account = await register(server);
    const withOrigin = await request(server, '/auth/ws-ticket', {
      method: 'POST',
      headers: { cookie: account.cookie, origin: server.httpUrl },
    });
    expect(withOrigin.status).toBe(200);
    const withReferer = await request(server, '/auth/ws-ticket', {
      method: 'POST',
      headers: { cookie: account.cookie, referer: `${server.httpUrl}/rooms/general` },
    });
    expect(withReferer.status).toBe(200);
  });

  it('does not check the origin of Bearer requests', async () => {
    const account = await register(server);
    const response = await account.api.post('/auth/ws-ticket');
    expect(response.status).toBe(200);
    const foreign = await account.api.post('/auth/ws-ticket', undefined, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(200);
  });
});
