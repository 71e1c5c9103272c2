/**
 * One's own sessions, against a real server: listing them, signing one or all the others out,
 * and changing the password. An ended session's token is refused at once and its open sockets
 * are closed with 4001.
 */
import type { SessionSummary } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  type Closed,
  errorOf,
  expectStatus,
  fieldPaths,
  register,
  request,
  type Socket,
  SocketPool,
  uniqueName,
} from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

const LOGIN_MAX_FAILURES = 3;

let server: TestServer;
const sockets = new SocketPool(() => server);

beforeAll(async () => {
  server = await startServer({ env: { LOGIN_MAX_FAILURES: String(LOGIN_MAX_FAILURES) } });
  await register(server, uniqueName('admin'));
});
afterAll(async () => {
  await sockets.closeAll();
  await server?.dispose();
});

/** Another sign-in of the same account, as from another device. */
async function signInAgain(account: Account, userAgent = 'Other device/1.0'): Promise<string> {
  const response = await request<{ token: string }>(server, '/auth/login', {
    json: { username: account.username, password: account.password },
    headers: { 'user-agent': userAgent },
  });
  return expectStatus(response, 200, 'a second sign-in').body.token;
}

const sessionsOf = async (token: string): Promise<SessionSummary[]> =>
  expectStatus(await request<{ sessions: SessionSummary[] }>(server, '/me/sessions', { token }), 200, 'list')
    .body.sessions;

const me = (token: string) => request(server, '/me', { token });

/** The socket's close, or 'still open' after a second and a half. */
const closedSoon = (socket: Socket): Promise<Closed | 'still open'> =>
  Promise.race([
    socket.closed,
    new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 1_500)),
  ]);

const open = (token: string) => sockets.connect({ token });

describe('GET /me/sessions', () => {
  it("lists the caller's live sessions only, marking the current one", async () => {
    const ann = await register(server, uniqueName('ann'));
    const phone = await signInAgain(ann, 'Phone browser/2.0');
    const gone = await signInAgain(ann);
    expect((await request(server, '/auth/logout', { method: 'POST', token: gone })).status).toBe(204);
    await register(server, uniqueName('bo')); // someone else's sessions never show

    const listed = await sessionsOf(ann.token);
    expect(listed).toHaveLength(2);
    const current = listed.find((session) => session.current);
    const other = listed.find((session) => !session.current);
    expect(current).toMatchObject({ current: true });
    expect(other).toMatchObject({ current: false, userAgent: 'Phone browser/2.0' });
    for (const session of listed) {
      expect(session).toEqual({
        id: expect.any(String),
        createdAt: expect.any(String),
        lastSeenAt: expect.any(String),
        expiresAt: expect.any(String),
        current: expect.any(Boolean),
        ...(session.userAgent === undefined ? {} : { userAgent: expect.any(String) }),
      });
      // The idle limit (14 days by default) comes before the absolute one (30 days).
      const endsIn = Date.parse(session.expiresAt) - Date.now();
      expect(endsIn).toBeGreaterThan(13 * 86_400_000);
      expect(endsIn).toBeLessThanOrEqual(14 * 86_400_000);
    }
    // Seen from the other device, that one is current.
    const fromPhone = await sessionsOf(phone);
    expect(fromPhone.find((session) => session.current)?.id).toBe(other?.id);
  });

  it('keeps at most 200 characters of a user agent', async () => {
    const cy = await register(server, uniqueName('cy'));
    const token = await signInAgain(cy, `Long/${'x'.repeat(500)}`);
    const [mine] = (await sessionsOf(token)).filter((session) => session.current);
    expect(mine?.userAgent).toBe(`Long/${'x'.repeat(195)}`);
  });

  it('needs credentials', async () => {
    expect((await request(server, '/me/sessions')).status).toBe(401);
  });
});

describe('DELETE /me/sessions/:id', () => {
  it('ends another session at once: its token is refused and its socket closed with 4001', async () => {
    const ann = await register(server, uniqueName('ann'));
    const laptop = await signInAgain(ann);
    const laptopSocket = await open(laptop);
    const ownSocket = await open(ann.token);
    const target = (await sessionsOf(ann.token)).find((session) => !session.current);
    if (!target) throw new Error('the other session must be listed');

    const revokedAt = Date.now();
    expect((await ann.api.delete(`/me/sessions/${target.id}`)).status).toBe(204);
    expect(await closedSoon(laptopSocket)).toMatchObject({ code: 4001 });
    expect(Date.now() - revokedAt).toBeLessThan(1_500);
    const refused = await me(laptop);
    expect(refused.status).toBe(401);
    expect(errorOf(refused).code).toBe('unauthenticated');
    // The caller's own session and socket are untouched.
    expect((await me(ann.token)).status).toBe(200);
    expect(await Promise.race([ownSocket.closed, new Promise((r) => setTimeout(() => r('open'), 300))])).toBe(
      'open',
    );
    expect((await sessionsOf(ann.token)).map((session) => session.id)).not.toContain(target.id);
    // Once ended, it is unknown.
    expect((await ann.api.delete(`/me/sessions/${target.id}`)).status).toBe(404);
  });

  it("answers 404 for someone else's session or an unknown id, and leaves it alone", async () => {
    const ann = await register(server, uniqueName('ann'));
    const bo = await register(server, uniqueName('bo'));
    const [boSession] = await sessionsOf(bo.token);
    if (!boSession) throw new Error('bo has a session');
    const stranger = await ann.api.delete(`/me/sessions/${boSession.id}`);
    expect(stranger.status).toBe(404);
    expect(errorOf(stranger).code).toBe('not_found');
    expect((await ann.api.delete('/me/sessions/no-such-session')).status).toBe(404);
    expect((await me(bo.token)).status).toBe(200);
  });

  it('refuses a cookie request from a foreign origin', async () => {
    const ann = await register(server, uniqueName('ann'));
    const other = await signInAgain(ann);
    const [target] = (await sessionsOf(other)).filter((session) => session.current);
    const response = await request(server, `/me/sessions/${target?.id}`, {
      method: 'DELETE',
      headers: { cookie: ann.cookie, origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect((await me(other)).status).toBe(200);
  });
});

describe('POST /me/sessions/revoke-others', () => {
  it('ends every other session of the caller, closing their sockets with 4001, and keeps this one', async () => {
    const ann = await register(server, uniqueName('ann'));
    const others = [await signInAgain(ann), await signInAgain(ann)];
    const otherSockets = await Promise.all(others.map(open));
    const ownSocket = await open(ann.token);
    const bo = await register(server, uniqueName('bo'));

    expect((await ann.api.post('/me/sessions/revoke-others')).status).toBe(204);
    for (const socket of otherSockets) expect(await closedSoon(socket)).toMatchObject({ code: 4001 });
    for (const token of others) expect((await me(token)).status).toBe(401);
    expect((await me(ann.token)).status).toBe(200);
    expect((await sessionsOf(ann.token)).map((session) => session.current)).toEqual([true]);
    expect(ownSocket.ws.readyState).toBe(ownSocket.ws.OPEN);
    expect((await me(bo.token)).status).toBe(200);
  });
});

describe('POST /me/password', () => {
  it('changes the password, ends the other sessions and their sockets, and keeps this one', async () => {
    const ann = await register(server, uniqueName('ann'));
    const other = await signInAgain(ann);
    const otherSocket = await open(other);
    const newPassword = 'a brand new passphrase';

    const changed = await ann.api.post('/me/password', { currentPassword: ann.password, newPassword });
    expect(changed.status).toBe(204);
    expect(await closedSoon(otherSocket)).toMatchObject({ code: 4001 });
    expect((await me(other)).status).toBe(401);
    expect((await me(ann.token)).status).toBe(200);

    const login = (password: string) =>
      request(server, '/auth/login', { json: { username: ann.username, password } });
    expect((await login(ann.password)).status).toBe(401);
    expect((await login(newPassword)).status).toBe(200);
  });

  it('refuses a wrong current password with 403 naming the field, and throttles it like sign-ins', async () => {
    const ann = await register(server, uniqueName('ann'));
    const other = await signInAgain(ann);
    for (let attempt = 1; attempt <= LOGIN_MAX_FAILURES; attempt++) {
      const wrong = await ann.api.post('/me/password', {
        currentPassword: `not it ${attempt}`,
        newPassword: 'a brand new passphrase',
      });
      expect(wrong.status, wrong.text).toBe(403);
      expect(errorOf(wrong).code).toBe('forbidden');
      expect(fieldPaths(wrong)).toEqual(['currentPassword']);
    }
    // Past the limit, even the right password is refused, and so is signing in.
    const throttled = await ann.api.post('/me/password', {
      currentPassword: ann.password,
      newPassword: 'a brand new passphrase',
    });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    const login = await request(server, '/auth/login', {
      json: { username: ann.username, password: ann.password },
    });
    expect(login.status).toBe(429);
    // Nothing changed: the session stays signed in, the other session too.
    expect((await me(ann.token)).status).toBe(200);
    expect((await me(other)).status).toBe(200);
  });

  it('holds the new password to the sign-up rules', async () => {
    const ann = await register(server, uniqueName('ann'));
    const short = await ann.api.post('/me/password', { currentPassword: ann.password, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(errorOf(short).code).toBe('validation_failed');
    expect(fieldPaths(short)).toEqual(['newPassword']);
    const missing = await ann.api.post('/me/password', { newPassword: 'long enough password' });
    expect(fieldPaths(missing)).toEqual(['currentPassword']);
    const tooLong = await ann.api.post('/me/password', {
      currentPassword: ann.password,
      newPassword: 'x'.repeat(257),
    });
    expect(fieldPaths(tooLong)).toEqual(['newPassword']);
    const common = await ann.api.post('/me/password', {
      currentPassword: ann.password,
      newPassword: 'iloveyou1',
    });
    expect(common.status).toBe(400);
    expect(fieldPaths(common)).toEqual(['newPassword']);
    expect(
      (await request(server, '/auth/login', { json: { username: ann.username, password: ann.password } }))
        .status,
    ).toBe(200);
  });
});
