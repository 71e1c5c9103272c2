/**
 * Property tests from outside: tens of thousands of generated requests and WebSocket frames,
 * aimed at every route and frame type with real ids mixed among nonsense. Whatever arrives,
 * the server answers a 4xx in the contract's error shape (or a success), never a 5xx, never
 * an `internal` error frame, never a crash; and it is healthy afterwards.
 */
import type { Room, ServerFrame } from '@parley/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  connectSocket,
  createRoom,
  generalRoom,
  postMessage,
  register,
  request,
  type Socket,
  uniqueName,
} from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

const HTTP_RUNS = 8_000;
const FRAME_BATCHES = 400;
const FRAMES_PER_BATCH = 50;

let server: TestServer;
let alice: Account;
let bob: Account;
let general: Room;
let secret: Room;
let messageId: string;
let jobId: string;

beforeAll(async () => {
  server = await startServer({ env: { RATE_LIMIT_SENDS_PER_MINUTE: '0', LOGIN_MAX_FAILURES: '0' } });
  await register(server, uniqueName('admin')); // the instance admin is someone else
  alice = await register(server, uniqueName('alice'));
  bob = await register(server, uniqueName('bob'));
  general = await generalRoom(alice);
  secret = await createRoom(bob, { name: `Secret ${uniqueName('s')}`, visibility: 'private' });
  const posted = await postMessage(alice, general.id, 'something to aim at');
  messageId = posted.messageId;
  jobId = posted.job.id;
}, 60_000);
afterAll(() => server?.dispose());

/** Real ids among nonsense, so generated requests reach the code behind the lookups too. */
const ids = () =>
  fc.oneof(
    fc.constantFrom(general.id, secret.id, alice.user.id, bob.user.id, messageId, jobId),
    fc.constantFrom(
      '',
      ' ',
      '0',
      '-1',
      '..',
      '%00',
      '%ff',
      '%c0%af',
      'null',
      'a'.repeat(300),
      '😀',
      '\u0000',
    ),
    fc.string({ maxLength: 40 }),
  );

const ROUTES: [string, string][] = [
  ['GET', '/rooms'],
  ['POST', '/rooms'],
  ['GET', '/rooms/:id'],
  ['PATCH', '/rooms/:id'],
  ['GET', '/rooms/:id/messages'],
  ['GET', '/rooms/:id/events'],
  ['GET', '/rooms/:id/members'],
  ['POST', '/rooms/:id/members'],
  ['PATCH', '/rooms/:id/members/:id'],
  ['DELETE', '/rooms/:id/members/:id'],
  ['POST', '/rooms/:id/join'],
  ['POST', '/rooms/:id/leave'],
  ['POST', '/jobs'],
  ['GET', '/jobs/:id'],
  ['PATCH', '/messages/:id'],
  ['DELETE', '/messages/:id'],
  ['GET', '/messages/:id/receipts'],
  ['GET', '/files/:id'],
  ['GET', '/files/:id/thumbnail'],
  ['POST', '/dms'],
  ['GET', '/me'],
  ['GET', '/me/settings'],
  ['PATCH', '/me/settings'],
  ['POST', '/auth/login'],
  ['POST', '/auth/register'],
  ['POST', '/auth/ws-ticket'],
  ['GET', '/admin/users'],
  ['GET', '/admin/dlq'],
  ['GET', '/admin/audit'],
  ['POST', '/admin/dlq/:id/retry'],
  ['PUT', '/rooms'],
  ['GET', '/nowhere/:id'],
];

/** Bodies shaped like the contract's, with every field also tried as anything at all. */
const shapedBody = () =>
  fc.record(
    {
      type: fc.oneof(fc.constantFrom('message', 'file', 'x'), fc.anything()),
      roomId: fc.oneof(ids(), fc.anything()),
      text: fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 5000 }), fc.anything()),
      name: fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), fc.anything()),
      slug: fc.oneof(fc.string({ maxLength: 80 }), fc.anything()),
      visibility: fc.oneof(fc.constantFrom('public', 'private', 'dm'), fc.anything()),
      username: fc.oneof(
        fc.constantFrom(bob.username, alice.username),
        fc.string({ maxLength: 40 }),
        fc.anything(),
      ),
      usernames: fc.oneof(fc.array(fc.string(), { maxLength: 10 }), fc.anything()),
      password: fc.oneof(fc.string({ maxLength: 300 }), fc.anything()),
      role: fc.oneof(fc.constantFrom('owner', 'admin', 'member'), fc.anything()),
      fileName: fc.oneof(fc.string({ maxLength: 300 }), fc.anything()),
      contentType: fc.oneof(fc.constantFrom('image/png', 'text/html', 'x'), fc.anything()),
      data: fc.oneof(fc.base64String({ maxLength: 400 }), fc.anything()),
      replyTo: fc.oneof(ids(), fc.anything()),
      shareReadReceipts: fc.anything(),
    },
    { requiredKeys: [] },
  );

const httpCase = () =>
  fc.record({
    route: fc.constantFrom(...ROUTES),
    params: fc.array(ids(), { minLength: 2, maxLength: 2 }),
    query: fc.dictionary(fc.constantFrom('limit', 'before', 'after', 'x'), fc.string({ maxLength: 12 }), {
      maxKeys: 3,
    }),
    body: fc.oneof(shapedBody(), fc.anything(), fc.string({ maxLength: 200 })),
    contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', undefined),
    authenticated: fc.boolean(),
    idempotencyKey: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
  });

describe('generated HTTP requests', () => {
  it(`answers ${HTTP_RUNS} of them without a 5xx, in the error shape`, { timeout: 300_000 }, async () => {
    let statuses = 0;
    await fc.assert(
      fc.asyncProperty(httpCase(), async (c) => {
        const [method, template] = c.route;
        let n = 0;
        const path = template.replace(/:id/g, () => {
          const id = c.params[n++] ?? '';
          return /^%[0-9a-f]{2}/i.test(id) ? id : encodeURIComponent(id);
        });
        const query = new URLSearchParams(c.query).toString();
        const headers: Record<string, string> = {};
        if (c.contentType) headers['content-type'] = c.contentType;
        if (c.idempotencyKey !== undefined && /^[\t\x20-\x7e]*$/.test(c.idempotencyKey))
          headers['idempotency-key'] = c.idempotencyKey;
        const hasBody = method !== 'GET';
        const response = await request(server, `${path}${query ? `?${query}` : ''}`, {
          method,
          headers,
          ...(c.authenticated ? { token: alice.token } : {}),
          ...(hasBody ? { body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body) } : {}),
        });
        statuses++;
        if (response.status >= 500) {
          throw new Error(`${method} ${path} answered ${response.status}: ${response.text.slice(0, 300)}`);
        }
        if (response.status >= 400) {
          const error = (response.body as { error?: { code?: unknown; message?: unknown } } | undefined)
            ?.error;
          if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
            throw new Error(
              `${method} ${path} answered ${response.status} without the error shape: ${response.text}`,
            );
          }
        }
      }),
      { numRuns: HTTP_RUNS, seed: Number(process.env.PARLEY_FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    expect(statuses).toBe(HTTP_RUNS);
    expect((await request(server, '/readyz')).status).toBe(200);
  });
});

const frame = () =>
  fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.anything().map((value) => JSON.stringify(value) ?? 'undefined'),
    fc
      .record(
        {
          type: fc.oneof(fc.constantFrom('send', 'ack', 'typing', 'resume', 'ping', 'nope'), fc.anything()),
          roomId: fc.oneof(ids(), fc.anything()),
          text: fc.oneof(fc.string({ unit: 'binary', maxLength: 2000 }), fc.anything()),
          seq: fc.oneof(fc.integer(), fc.double(), fc.anything()),
          ref: fc.oneof(fc.string({ maxLength: 200 }), fc.anything()),
          idempotencyKey: fc.oneof(fc.string({ maxLength: 300 }), fc.anything()),
          cursors: fc.oneof(fc.dictionary(ids(), fc.oneof(fc.integer(), fc.anything())), fc.anything()),
          replyTo: fc.oneof(ids(), fc.anything()),
        },
        { requiredKeys: ['type'] },
      )
      .map((value) => JSON.stringify(value)),
  );

describe('generated WebSocket frames', () => {
  it(`answers ${FRAME_BATCHES * FRAMES_PER_BATCH} of them without an internal error or a crash`, {
    timeout: 300_000,
  }, async () => {
    let socket: Socket = await connectSocket(server, alice.token);
    const internal = (frames: ServerFrame[]) =>
      frames.filter((candidate) => candidate.type === 'error' && candidate.code === 'internal');
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(frame(), { minLength: FRAMES_PER_BATCH, maxLength: FRAMES_PER_BATCH }),
        async (batch) => {
          for (const text of batch) socket.send(text);
          sent += batch.length;
          const ref = `barrier-${sent}`;
          socket.send({ type: 'ping', ref });
          try {
            await socket.next(
              (candidate) => candidate.type === 'pong' && candidate.ref === ref,
              10_000,
              'pong',
            );
          } catch (error) {
            // A policy close is an answer too (a frame over 64 KiB: 1009); never 1011.
            const closed = await Promise.race([
              socket.closed,
              new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)),
            ]);
            if (!closed) throw error;
            if (closed.code === 1011 || closed.code === 1006)
              throw new Error(`socket closed with ${closed.code}`);
            socket = await connectSocket(server, alice.token);
          }
          const failures = internal(socket.frames);
          if (failures.length > 0) throw new Error(`internal error frames: ${JSON.stringify(failures)}`);
        },
      ),
      { numRuns: FRAME_BATCHES, seed: Number(process.env.PARLEY_FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    expect(sent).toBe(FRAME_BATCHES * FRAMES_PER_BATCH);
    await socket.close();
    expect((await request(server, '/readyz')).status).toBe(200);
  });
});
