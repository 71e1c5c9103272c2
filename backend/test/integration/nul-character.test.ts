/**
 * U+0000 in any text a client sends is a 400 naming the field, on every engine: PostgreSQL
 * cannot store it (or compare text with it), and SQLite must not accept what PostgreSQL refuses.
 * `npm run test:postgres` runs this file on PostgreSQL too.
 */
import type { Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  type ApiResponse,
  errorOf,
  fieldPaths,
  generalRoom,
  register,
  request,
  uniqueName,
} from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

const NUL = '\u0000';

let server: TestServer;
let alice: Account;
let general: Room;

beforeAll(async () => {
  server = await startServer();
  alice = await register(server, uniqueName('alice'));
  general = await generalRoom(alice);
});
afterAll(() => server?.dispose());

function expectRefused(response: ApiResponse, path: string) {
  expect(response.status, response.text).toBe(400);
  expect(errorOf(response).code).toBe('validation_failed');
  expect(fieldPaths(response)).toContain(path);
}

describe('the NUL character', () => {
  it('is refused in a message, a caption, a room name and a display name', async () => {
    expectRefused(
      await alice.api.post('/jobs', { type: 'message', roomId: general.id, text: `a${NUL}b` }),
      'text',
    );
    expectRefused(await alice.api.post('/rooms', { name: `Room${NUL}`, visibility: 'public' }), 'name');
    expectRefused(
      await request(server, '/auth/register', {
        json: { username: uniqueName('nul'), password: 'long enough password', displayName: `Eve${NUL}` },
      }),
      'displayName',
    );
  });

  it('is refused in sign-in names and passwords, and in the people of a DM', async () => {
    expectRefused(
      await request(server, '/auth/login', { json: { username: `alice${NUL}`, password: 'whatever it is' } }),
      'username',
    );
    expectRefused(
      await request(server, '/auth/login', { json: { username: alice.username, password: `pw${NUL}` } }),
      'password',
    );
    expectRefused(await alice.api.post('/dms', { username: `bob${NUL}` }), 'username');
  });

  it('is refused in an id of the body or the path', async () => {
    expectRefused(
      await alice.api.post('/jobs', { type: 'message', roomId: `x${NUL}`, text: 'hi' }),
      'roomId',
    );
    expectRefused(await alice.api.get(`/rooms/${encodeURIComponent(`x${NUL}`)}/messages`), 'roomId');
    expectRefused(await alice.api.get(`/jobs/${encodeURIComponent(NUL)}`), 'jobId');
  });

  it('leaves the server serving afterwards', async () => {
    const ok = await alice.api.post('/jobs', { type: 'message', roomId: general.id, text: 'still here' });
    expect(ok.status).toBe(202);
  });
});
