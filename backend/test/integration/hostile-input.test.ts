/**
 * Defects that hostile input found (issue "Security and data safety"), each pinned down: every
 * answer is a 4xx in the contract's error shape or the right resource, never a 500 or the web
 * app's page in place of JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Job, Member, Message, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  type ApiResponse,
  createRoom,
  errorOf,
  fieldPaths,
  generalRoom,
  register,
  request,
  uniqueName,
  waitForCompletion,
} from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

const INDEX_HTML = '<!doctype html><title>Parley</title><div id="root"></div>';

let server: TestServer;
let webDist: string;
let alice: Account;
let general: Room;

beforeAll(async () => {
  // A built web app of its own, so the page fallback is there whether or not frontend/dist is.
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
  fs.writeFileSync(path.join(webDist, 'index.html'), INDEX_HTML);
  server = await startServer({ env: { WEB_DIST_DIR: webDist, RATE_LIMIT_SENDS_PER_MINUTE: '0' } });
  alice = await register(server, uniqueName('alice'));
  general = await generalRoom(alice);
});
afterAll(async () => {
  await server?.dispose();
  fs.rmSync(webDist, { recursive: true, force: true });
});

function expectErrorShape(response: ApiResponse, status: number) {
  expect(response.status, `${response.status} ${response.text.slice(0, 200)}`).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(errorOf(response)).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}

describe('paths', () => {
  it('answers a malformed percent-encoding in any path parameter with 400, not 500', async () => {
    const paths: [string, string][] = [
      ['GET', '/files/%c0%af'],
      ['GET', '/files/%c0%af/thumbnail'],
      ['GET', '/rooms/%E0%A4%A/messages'],
      ['GET', '/rooms/%ff/events'],
      ['GET', '/rooms/%ff/members'],
      ['POST', '/rooms/%ff/join'],
      ['GET', '/jobs/%ff'],
      ['PATCH', '/messages/%c0%af'],
      ['DELETE', '/rooms/%ff/members/%ff'],
    ];
    for (const [method, target] of paths) {
      const response = await alice.api.request(target, {
        method,
        json: method === 'PATCH' ? { text: 'x' } : undefined,
      });
      expectErrorShape(response, 400);
    }
  });

  it('answers API paths with an empty id with the JSON 404, even to a browser', async () => {
    // (`/rooms/` is `/rooms`: Express ignores one trailing slash.)
    for (const target of ['/rooms//messages', '/jobs/', '/files/', '/admin/', '/auth/', '/admin/nothing']) {
      const response = await alice.api.get(target, { accept: 'text/html,*/*' });
      expectErrorShape(response, 404);
    }
  });

  it('serves the web app at its own routes, to GET and HEAD', async () => {
    for (const target of ['/', '/r/general', '/admin/failed-jobs']) {
      const page = await request(server, target, { headers: { accept: 'text/html' } });
      expect(page.status, target).toBe(200);
      expect(page.text).toBe(INDEX_HTML);
      const head = await request(server, target, { method: 'HEAD', headers: { accept: 'text/html' } });
      expect(head.status, `HEAD ${target}`).toBe(200);
    }
  });
});

describe('query numbers', () => {
  it('accepts only decimal integers for limit, before, after', async () => {
    for (const query of [
      'limit=1E2',
      'limit=0x0',
      'limit=1.00',
      'limit=%2B5',
      'limit=',
      'before=1e1',
      'after=0x1',
    ]) {
      const response = await alice.api.get(`/rooms/${general.id}/messages?${query}`);
      expectErrorShape(response, 400);
      expect(fieldPaths(response)).toContain(query.split('=')[0]);
    }
    expectErrorShape(await alice.api.get(`/rooms/${general.id}/events?after=1.0`), 400);
    expect((await alice.api.get(`/rooms/${general.id}/messages?limit=100`)).status).toBe(200);
  });
});

describe('members', () => {
  it('lists each member as the contract user {id, username, displayName, role, avatarUrl}', async () => {
    const response = await alice.api.get<{ members: Member[] }>(`/rooms/${general.id}/members`);
    expect(response.status).toBe(200);
    const me = response.body.members.find((member) => member.user.id === alice.user.id);
    expect(me?.user).toEqual({
      id: alice.user.id,
      username: alice.user.username,
      displayName: alice.user.displayName,
      role: alice.user.role,
      avatarUrl: null,
    });
    for (const member of response.body.members) expect(['admin', 'member']).toContain(member.user.role);
  });
});

describe('room addresses', () => {
  it('finds a free address for many rooms whose names have no Latin letters or digits', async () => {
    const names = ['שלום', '﷽', '%', '_', '--', '🎉'];
    const slugs = new Set<string>();
    for (let i = 0; i < 60; i++) {
      // Room names are unique (ignoring case): each repeat gets more `%` after it, still no letters.
      const name = `${names[i % names.length]} ${'%'.repeat(Math.floor(i / names.length) + 1)}`;
      const room = await createRoom(alice, { name, visibility: 'public' });
      expect(room.slug).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
      slugs.add(room.slug);
    }
    expect(slugs.size).toBe(60);
  });
});

describe('uploads', () => {
  it('serves HTML bytes uploaded as an image as an attachment, named for what they are', async () => {
    const html = '<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>';
    const submitted = await alice.api.post<{ job: Job }>('/jobs', {
      type: 'file',
      roomId: general.id,
      fileName: 'cat.png',
      contentType: 'image/png',
      data: Buffer.from(html).toString('base64'),
    });
    expect(submitted.status, submitted.text).toBe(202);
    const done = await waitForCompletion(alice, submitted.body.job.id);
    const page = await alice.api.get<{ messages: Message[] }>(
      `/rooms/${general.id}/messages?after=${done.result.seq - 1}&limit=1`,
    );
    const attachment = page.body.messages[0]?.attachment;
    expect(attachment?.fileName).toBe('cat.png');
    const file = await fetch(new URL(attachment?.url as string, server.httpUrl), {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/html/);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await file.text()).toBe(html);
  });

  it('still creates rooms and sends after all of the above', async () => {
    const room = await createRoom(alice, { name: `After ${uniqueName('a')}`, visibility: 'private' });
    expect(room.visibility).toBe('private');
  });
});
