/**
 * The audit log (`GET /admin/audit`): every security and admin event appears after its action,
 * with who did it, to whom, from which address, and never a password or a token; a refused
 * change writes nothing; only the instance admin reads it, a page at a time.
 */
import type { AuditEvent, Member, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  errorOf,
  expectStatus,
  register,
  request,
  submitMessage,
  uniqueName,
  waitForJob,
} from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

interface AuditPage {
  events: AuditEvent[];
  hasMore: boolean;
}

let server: TestServer;
let admin: Account;
/** Every password and token the test used: none may appear in any audit entry. */
const secrets = new Set<string>();

/** The server believes X-Forwarded-For from loopback (`TRUST_PROXY=loopback`, the default). */
const from = (ip: string) => ({ 'x-forwarded-for': ip });

async function newAccount(base: string): Promise<Account> {
  const account = await register(server, uniqueName(base));
  secrets.add(account.password);
  secrets.add(account.token);
  return account;
}

async function auditPage(query = '', by: Account = admin): Promise<AuditPage> {
  return expectStatus(await by.api.get<AuditPage>(`/admin/audit${query}`), 200, `GET /admin/audit${query}`)
    .body;
}

/** The newest entry of a type (optionally matching more), checked for secrets. */
async function latest(type: AuditEvent['type'], match: (event: AuditEvent) => boolean = () => true) {
  const { events } = await auditPage('?limit=200');
  const event = events.find((candidate) => candidate.type === type && match(candidate));
  if (!event) throw new Error(`no ${type} entry in ${JSON.stringify(events.slice(0, 5))}`);
  const text = JSON.stringify(event);
  for (const secret of secrets) expect(text).not.toContain(secret);
  return event;
}

const refOf = (account: Account) => ({
  id: account.user.id,
  username: account.user.username,
  displayName: account.user.displayName,
});

beforeAll(async () => {
  server = await startServer({ env: { JOB_MAX_ATTEMPTS: '1' } });
  admin = await newAccount('admin'); // the first account: the instance admin
});
afterAll(() => server?.dispose());

describe('the audit log records', () => {
  it('a sign-up, a sign-in, a failed sign-in (the username, not the password) and a sign-out', async () => {
    const username = uniqueName('carol');
    const password = `pw-${Math.random().toString(36).slice(2)}-long`;
    secrets.add(password);
    const registered = await request<{ token: string; user: Account['user'] }>(server, '/auth/register', {
      json: { username, password },
      headers: from('198.51.100.1'),
    });
    expectStatus(registered, 201, 'register');
    secrets.add(registered.body.token);
    const carol = registered.body.user;
    expect(await latest('auth.register', (e) => e.actor?.id === carol.id)).toMatchObject({
      actor: { id: carol.id, username },
      ip: '198.51.100.1',
      details: { username, instanceAdmin: false },
    });

    const wrongPassword = `${password}-wrong`;
    secrets.add(wrongPassword);
    const failed = await request(server, '/auth/login', {
      json: { username, password: wrongPassword },
      headers: from('198.51.100.2'),
    });
    expect(failed.status).toBe(401);
    const failure = await latest('auth.login_failed', (e) => e.details.username === username);
    expect(failure).toMatchObject({ ip: '198.51.100.2', details: { username, reason: 'wrong_password' } });
    expect(failure.actor).toBeUndefined();
    await request(server, '/auth/login', {
      json: { username: 'nobody-at-all', password: wrongPassword },
      headers: from('198.51.100.2'),
    });
    expect(
      (await latest('auth.login_failed', (e) => e.details.username === 'nobody-at-all')).details,
    ).toEqual({ username: 'nobody-at-all', reason: 'unknown_user' });

    const login = await request<{ token: string }>(server, '/auth/login', {
      json: { username, password },
      headers: from('198.51.100.3'),
    });
    expectStatus(login, 200, 'login');
    secrets.add(login.body.token);
    const signIn = await latest('auth.login', (e) => e.actor?.id === carol.id);
    expect(signIn).toMatchObject({ ip: '198.51.100.3', details: { sessionId: expect.any(String) } });

    const logout = await request(server, '/auth/logout', {
      method: 'POST',
      token: login.body.token,
      headers: from('198.51.100.4'),
    });
    expect(logout.status).toBe(204);
    expect(await latest('auth.logout', (e) => e.actor?.id === carol.id)).toMatchObject({
      ip: '198.51.100.4',
    });
  });

  it('sessions ended one at a time or all the others, and a password change', async () => {
    const dave = await newAccount('dave');
    const second = await request<{ token: string; user: Account['user'] }>(server, '/auth/login', {
      json: { username: dave.username, password: dave.password },
    });
    secrets.add(second.body.token);
    const sessions = await dave.api.get<{ sessions: { id: string; current: boolean }[] }>('/me/sessions');
    const other = sessions.body.sessions.find((session) => !session.current);
    if (!other) throw new Error('no second session');
    expect((await dave.api.delete(`/me/sessions/${other.id}`, from('198.51.100.5'))).status).toBe(204);
    expect(await latest('session.revoked', (e) => e.actor?.id === dave.user.id)).toMatchObject({
      actor: refOf(dave),
      target: { kind: 'session', id: other.id },
      ip: '198.51.100.5',
      details: { scope: 'one', count: 1 },
    });

    const third = await request<{ token: string }>(server, '/auth/login', {
      json: { username: dave.username, password: dave.password },
    });
    secrets.add(third.body.token);
    expect((await dave.api.post('/me/sessions/revoke-others', undefined, from('198.51.100.6'))).status).toBe(
      204,
    );
    expect(
      await latest('session.revoked', (e) => e.actor?.id === dave.user.id && e.details.scope === 'others'),
    ).toMatchObject({ ip: '198.51.100.6', details: { count: 1 } });

    const newPassword = `${dave.password}-new`;
    secrets.add(newPassword);
    const fourth = await request<{ token: string }>(server, '/auth/login', {
      json: { username: dave.username, password: dave.password },
    });
    secrets.add(fourth.body.token);
    const changed = await dave.api.post(
      '/me/password',
      { currentPassword: dave.password, newPassword },
      from('198.51.100.7'),
    );
    expect(changed.status).toBe(204);
    const change = await latest('password.changed', (e) => e.actor?.id === dave.user.id);
    expect(change).toMatchObject({ ip: '198.51.100.7', details: { sessionsEnded: 1 } });
    expect(change.target).toBeUndefined();
  });

  it('a deactivation by the instance admin', async () => {
    const erin = await newAccount('erin');
    const response = await admin.api.post(
      `/admin/users/${erin.user.id}/deactivate`,
      undefined,
      from('198.51.100.8'),
    );
    expect(response.status).toBe(200);
    expect(await latest('user.deactivated', (e) => e.target?.id === erin.user.id)).toEqual({
      id: expect.any(String),
      at: expect.any(String),
      type: 'user.deactivated',
      actor: refOf(admin),
      target: { kind: 'user', id: erin.user.id, user: refOf(erin) },
      ip: '198.51.100.8',
      details: { username: erin.username, sessionsEnded: 1 },
    });
  });

  it('a role change and a removal by someone else, but not leaving by oneself', async () => {
    const owner = await newAccount('owner');
    const frank = await newAccount('frank');
    const grace = await newAccount('grace');
    const room = await createRoom(owner, { name: `Audit ${uniqueName('r')}`, visibility: 'private' });
    for (const member of [frank, grace]) {
      expectStatus(await owner.api.post(`/rooms/${room.id}/members`, { username: member.username }), 201);
    }
    const promoted = await owner.api.patch<{ member: Member }>(
      `/rooms/${room.id}/members/${frank.user.id}`,
      { role: 'admin' },
      from('198.51.100.9'),
    );
    expect(promoted.status).toBe(200);
    expect(await latest('room.role_changed', (e) => e.target?.id === frank.user.id)).toMatchObject({
      actor: refOf(owner),
      target: { kind: 'user', id: frank.user.id, user: refOf(frank) },
      ip: '198.51.100.9',
      details: { roomId: room.id, roomName: room.name, from: 'member', role: 'admin' },
    });

    const removed = await request(server, `/rooms/${room.id}/members/${grace.user.id}`, {
      method: 'DELETE',
      token: frank.token,
      headers: from('198.51.100.10'),
    });
    expect(removed.status).toBe(204);
    expect(await latest('member.removed', (e) => e.target?.id === grace.user.id)).toMatchObject({
      actor: refOf(frank),
      target: { kind: 'user', id: grace.user.id },
      ip: '198.51.100.10',
      details: { roomId: room.id, roomName: room.name, role: 'member' },
    });

    expect((await frank.api.delete(`/rooms/${room.id}/members/${frank.user.id}`)).status).toBe(204);
    const { events } = await auditPage('?limit=200');
    expect(events.filter((e) => e.type === 'member.removed' && e.target?.id === frank.user.id)).toEqual([]);
  });

  it('a dead letter retried by the instance admin', async () => {
    const henry = await newAccount('henry');
    const room: Room = await createRoom(henry, { name: `Jobs ${uniqueName('j')}`, visibility: 'public' });
    const job = await submitMessage(henry, room.id, '#fail:transient into the dead letter queue');
    expect((await waitForJob(henry, job.id)).status).toBe('failed');
    const retried = await admin.api.post(`/admin/dlq/${job.id}/retry`, undefined, from('198.51.100.11'));
    expect(retried.status).toBe(202);
    expect(await latest('dlq.retried', (e) => e.target?.id === job.id)).toMatchObject({
      actor: refOf(admin),
      target: { kind: 'job', id: job.id },
      ip: '198.51.100.11',
      details: { jobType: 'message', roomId: room.id },
    });
  });
});

describe('the audit log writes nothing for a refused change', () => {
  it('a role change refused (not the owner, the owner themself) or a removal refused leaves no entry', async () => {
    const owner = await newAccount('owner');
    const ivan = await newAccount('ivan');
    const room = await createRoom(owner, { name: `Refused ${uniqueName('r')}`, visibility: 'public' });
    expectStatus(await owner.api.post(`/rooms/${room.id}/members`, { username: ivan.username }), 201);
    const before = (await auditPage('?limit=1')).events[0]?.id;

    expect(
      (await ivan.api.patch(`/rooms/${room.id}/members/${ivan.user.id}`, { role: 'admin' })).status,
    ).toBe(403);
    expect(
      (await owner.api.patch(`/rooms/${room.id}/members/${owner.user.id}`, { role: 'member' })).status,
    ).toBe(409);
    expect((await ivan.api.delete(`/rooms/${room.id}/members/${owner.user.id}`)).status).toBe(403);
    expect((await admin.api.post(`/admin/users/${admin.user.id}/deactivate`)).status).toBe(409);
    expect((await admin.api.post(`/admin/dlq/no-such-job/retry`)).status).toBe(404);

    expect((await auditPage('?limit=1')).events[0]?.id).toBe(before);
  });
});

describe('GET /admin/audit', () => {
  it('answers 401 without credentials and 403 to anyone but the instance admin', async () => {
    expect((await request(server, '/admin/audit')).status).toBe(401);
    const member = await newAccount('member');
    const refused = await member.api.get('/admin/audit');
    expect(refused.status).toBe(403);
    expect(errorOf(refused).code).toBe('forbidden');
  });

  it('pages newest first by event id or by time, without losing or repeating an entry', async () => {
    for (let i = 0; i < 5; i++) await newAccount(`pager${i}`);
    const all = (await auditPage('?limit=200')).events;
    expect(all.length).toBeGreaterThan(10);
    const times = all.map((event) => event.at);
    expect([...times].sort().reverse()).toEqual(times);

    const seen: AuditEvent[] = [];
    let query = '?limit=3';
    for (;;) {
      const page = await auditPage(query);
      seen.push(...page.events);
      expect(page.events.length).toBeLessThanOrEqual(3);
      if (!page.hasMore) break;
      query = `?limit=3&before=${page.events[page.events.length - 1]?.id}`;
    }
    expect(seen.map((event) => event.id)).toEqual(all.map((event) => event.id));

    const middle = all[Math.floor(all.length / 2)];
    if (!middle) throw new Error('no middle entry');
    const older = await auditPage(`?before=${encodeURIComponent(middle.at)}&limit=200`);
    expect(older.events.every((event) => event.at < middle.at)).toBe(true);
    expect(older.events.map((e) => e.id)).toEqual(all.filter((e) => e.at < middle.at).map((e) => e.id));
  });

  it('refuses a limit outside 1..200, a loose number and a cursor that is neither an id nor a time', async () => {
    for (const query of ['?limit=0', '?limit=201', '?limit=1e2', '?limit=+5', '?before=yesterday']) {
      const response = await admin.api.get(`/admin/audit${query}`);
      expect(response.status, query).toBe(400);
      expect(errorOf(response).code).toBe('validation_failed');
    }
  });
});
