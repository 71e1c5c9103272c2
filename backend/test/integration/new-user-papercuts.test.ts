/**
 * What a new user hit (issue #13), on the server side: a second room with the same name,
 * an oversized file refused only after it had been sent whole, and looking people up by name
 * while adding a member or starting a DM.
 */
import { request as httpRequest } from 'node:http';
import type { Room, UserRef } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  errorOf,
  fieldPaths,
  register,
  request,
  uniqueName,
} from '../support/client.js';
import { openDm } from '../support/rooms.js';
import { startServer, type TestServer } from '../support/server.js';

const MAX_UPLOAD_BYTES = 200_000;

let server: TestServer;
let alice: Account;
let bob: Account;
let carol: Account;

beforeAll(async () => {
  server = await startServer({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
  [alice, bob, carol] = await Promise.all([
    register(server, uniqueName('alice')),
    register(server, uniqueName('bob')),
    register(server, uniqueName('carol')),
  ]);
});

afterAll(async () => {
  await server?.dispose();
});

describe('room names are unique among the rooms one can see', () => {
  it('refuses a second room with the same name in another case, with 409 on the name field', async () => {
    const name = `Book Club ${uniqueName('n')}`;
    await createRoom(alice, { name, visibility: 'public' });
    for (const clash of [name, name.toUpperCase(), `  ${name.toLowerCase()} `]) {
      const response = await bob.api.post('/rooms', { name: clash, visibility: 'private' });
      expect(response.status).toBe(409);
      expect(errorOf(response).code).toBe('conflict');
      expect(errorOf(response).message).toMatch(/already exists/);
      expect(fieldPaths(response)).toEqual(['name']);
    }
  });

  it('refuses the name of #general, which every new account sees', async () => {
    const response = await alice.api.post('/rooms', { name: 'GENERAL', visibility: 'public' });
    expect(response.status).toBe(409);
  });

  it('lets a name be taken again when the other room is private and unseen (nothing leaks)', async () => {
    const name = `Hidden ${uniqueName('h')}`;
    await createRoom(alice, { name, visibility: 'private' });
    const mine = await createRoom(bob, { name, visibility: 'private' });
    expect(mine.name).toBe(name);
    // …but Alice, who sees her own, cannot make a third.
    expect((await alice.api.post('/rooms', { name, visibility: 'public' })).status).toBe(409);
  });

  it('ignores DMs, whose names are not shown as room names', async () => {
    const dm = (await openDm(alice, { username: carol.username })).body.room;
    const response = await alice.api.post('/rooms', { name: dm.name, visibility: 'private' });
    expect(response.status).toBe(201);
  });

  it('refuses a rename onto another visible room, but a room may keep or recase its own name', async () => {
    const first = await createRoom(alice, { name: `Alpha ${uniqueName('a')}`, visibility: 'public' });
    const second = await createRoom(alice, { name: `Beta ${uniqueName('b')}`, visibility: 'public' });
    const clash = await alice.api.patch(`/rooms/${second.id}`, { name: first.name.toUpperCase() });
    expect(clash.status).toBe(409);
    expect(fieldPaths(clash)).toEqual(['name']);
    const recased = await alice.api.patch<{ room: Room }>(`/rooms/${second.id}`, {
      name: second.name.toUpperCase(),
    });
    expect(recased.status).toBe(200);
    expect(recased.body.room.name).toBe(second.name.toUpperCase());
  });
});

describe('an oversized upload', () => {
  it('tells the web app the limit in GET /me', async () => {
    const response = await alice.api.get<{ limits: { maxUploadBytes: number } }>('/me');
    expect(response.body.limits).toEqual({ maxUploadBytes: MAX_UPLOAD_BYTES });
  });

  it('is refused with 413 from its Content-Length, before the body is sent', async () => {
    const room = await createRoom(alice, { name: `Files ${uniqueName('f')}`, visibility: 'public' });
    // Declares 10 times the limit but sends nothing: only an answer from the header can come back.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.httpUrl}/jobs?roomId=${room.id}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${alice.token}`,
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': String(MAX_UPLOAD_BYTES * 10),
        },
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error('no answer before the body was sent'));
      }, 5000);
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.flushHeaders();
    });
    expect(answer.status).toBe(413);
    const error = JSON.parse(answer.body).error;
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toContain(`${MAX_UPLOAD_BYTES} bytes`);
    expect(error.details).toEqual({ maxBytes: MAX_UPLOAD_BYTES });
  });

  it('still accepts a file of exactly the limit (the envelope is allowed for)', async () => {
    const room = await createRoom(alice, { name: `Exact ${uniqueName('e')}`, visibility: 'public' });
    const form = new FormData();
    form.append('type', 'file');
    form.append('roomId', room.id);
    form.append('file', new Blob([new Uint8Array(MAX_UPLOAD_BYTES)]), 'exact.bin');
    const response = await alice.api.request('/jobs', { method: 'POST', body: form });
    expect(response.status).toBe(202);
  });
});

describe('GET /users?q=', () => {
  it('finds people by part of their username or display name, with only id, username and display name', async () => {
    const tag = uniqueName('zq')
      .replace(/[^a-z0-9]/g, '')
      .slice(-8);
    const ziggy = await register(server, `ziggy${tag}`, { displayName: `Ziggy Stardust ${tag}` });
    const found = await bob.api.get<{ users: UserRef[] }>(
      `/users?q=${encodeURIComponent(`STARDUST ${tag}`)}`,
    );
    expect(found.status).toBe(200);
    expect(found.body.users).toEqual([
      { id: ziggy.user.id, username: ziggy.username, displayName: `Ziggy Stardust ${tag}`, avatarUrl: null },
    ]);
    const byUsername = await bob.api.get<{ users: UserRef[] }>(`/users?q=ziggy${tag.slice(0, 4)}`);
    expect(byUsername.body.users.map((user) => user.id)).toContain(ziggy.user.id);
  });

  it('answers at most 20, treats % and _ as themselves, and needs a query and credentials', async () => {
    // Two at a time: password hashing is slow on purpose, and the machine is shared.
    for (let i = 0; i < 11; i++)
      await Promise.all([register(server, uniqueName('many')), register(server, uniqueName('many'))]);
    const many = await bob.api.get<{ users: UserRef[] }>('/users?q=many');
    expect(many.body.users).toHaveLength(20);
    expect((await bob.api.get<{ users: UserRef[] }>('/users?q=%25')).body.users).toEqual([]);
    const empty = await bob.api.get('/users?q=');
    expect(empty.status).toBe(400);
    expect(fieldPaths(empty)).toEqual(['q']);
    expect((await bob.api.get('/users')).status).toBe(400);
    expect((await request(server, '/users?q=alice')).status).toBe(401);
  }, 60_000);

  it('shows no deactivated accounts', async () => {
    const admin = await firstAccount();
    const leaving = await register(server, uniqueName('leaver'));
    await admin.api.post(`/admin/users/${leaving.user.id}/deactivate`);
    const found = await bob.api.get<{ users: UserRef[] }>(`/users?q=${leaving.username}`);
    expect(found.body.users).toEqual([]);
  });
});

/** The instance admin: the first account, registered in beforeAll as one of three. */
async function firstAccount(): Promise<Account> {
  for (const account of [alice, bob, carol]) if (account.user.role === 'admin') return account;
  throw new Error('no admin among the first accounts');
}
