/**
 * The per-user and per-address limits of the contract (Configuration): sends per minute across
 * REST and WebSocket, login throttling, registrations per address, sockets per user, and one
 * idempotency key raced by many requests. Each group runs its own server with small limits.
 */
import http from 'node:http';
import type { Job, Room, ServerFrame } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type Account,
  type ApiResponse,
  type Closed,
  errorOf,
  generalRoom,
  messagesPage,
  register,
  request,
  type Socket,
  SocketPool,
  uniqueName,
  waitForCompletion,
} from '../support/client.js';
import { makePng } from '../support/files.js';
import { sleep, startServer, type TestServer } from '../support/server.js';

const SENDS_PER_MINUTE = 5;
const LOGIN_MAX_FAILURES = 3;
const REGISTRATIONS_PER_HOUR = 3;
const MAX_SOCKETS_PER_USER = 20;
const PROFILE_CHANGES_PER_HOUR = 3;

type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

const messageBody = (roomId: string, text: string) => ({ type: 'message', roomId, text });

const postJob = (account: Account, body: unknown, headers?: Record<string, string>) =>
  account.api.post<{ job: Job }>('/jobs', body, headers);

/** A 429 `rate_limited` with a whole number of seconds, at least 1 and at most `maxSeconds`, in Retry-After. */
function expectRateLimited(response: ApiResponse, maxSeconds: number) {
  expect(response.status, response.text).toBe(429);
  expect(errorOf(response).code).toBe('rate_limited');
  const retryAfter = response.headers.get('retry-after');
  expect(retryAfter, 'Retry-After header').toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(maxSeconds);
}

/** Sends a `send` frame and waits for its answer: `sent` or `error` with the same ref. */
async function sendOverSocket(
  socket: Socket,
  ref: string,
  frame: { roomId: string; text: string; idempotencyKey?: string },
): Promise<Frame<'sent'> | Frame<'error'>> {
  socket.send({ type: 'send', ref, ...frame });
  return socket.next<Frame<'sent'> | Frame<'error'>>(
    (candidate) => (candidate.type === 'sent' || candidate.type === 'error') && candidate.ref === ref,
    5_000,
    `the answer to send ${ref}`,
  );
}

function expectSent(answer: Frame<'sent'> | Frame<'error'>): Job {
  if (answer.type !== 'sent') throw new Error(`send ${answer.ref} was refused: ${JSON.stringify(answer)}`);
  return answer.job;
}

/** The texts of a room's latest messages that start with `prefix`. */
async function textsStartingWith(account: Account, roomId: string, prefix: string): Promise<string[]> {
  const page = await messagesPage(account, roomId, '?limit=200');
  return page.messages.map((message) => message.text).filter((text) => text.startsWith(prefix));
}

/**
 * A JSON POST from another client address. Linux routes all of 127.0.0.0/8 to the loopback
 * interface and the server listens on 0.0.0.0, so binding the client side to 127.0.0.x gives the
 * server a different remote address (no proxy headers involved).
 */
function postFrom(
  localAddress: string,
  server: TestServer,
  path: string,
  json: unknown,
): Promise<{ status: number; retryAfter: string | undefined; body: { error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(json);
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.httpPort,
        path,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            body: text === '' ? {} : JSON.parse(text),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST ${path} from ${localAddress} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

describe(`sends per user (RATE_LIMIT_SENDS_PER_MINUTE=${SENDS_PER_MINUTE})`, () => {
  let server: TestServer;
  let general: Room;
  const sockets = new SocketPool(() => server);

  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_SENDS_PER_MINUTE: String(SENDS_PER_MINUTE) } });
    const admin = await register(server, uniqueName('admin'));
    general = await generalRoom(admin);
  });
  afterAll(async () => {
    await sockets.closeAll();
    await server?.dispose();
  });

  const connect = (account: Account) => sockets.connect(account);

  it('counts REST and WebSocket sends together and refuses the next one on either path with rate_limited', async () => {
    const sender = await register(server, uniqueName('sender'));
    const bystander = await register(server, uniqueName('bystander'));
    const socket = await connect(sender);
    const prefix = `budget ${uniqueName('t')}`;
    const text = (n: number) => `${prefix} #${n}`;

    // Five accepted sends: REST, REST, WebSocket, WebSocket, REST.
    const accepted: Job[] = [];
    for (const n of [1, 2]) {
      const response = await postJob(sender, messageBody(general.id, text(n)));
      expect(response.status, response.text).toBe(202);
      accepted.push(response.body.job);
    }
    for (const n of [3, 4]) {
      accepted.push(
        expectSent(await sendOverSocket(socket, `ws-${n}`, { roomId: general.id, text: text(n) })),
      );
    }
    const fifth = await postJob(sender, messageBody(general.id, text(5)));
    expect(fifth.status, fifth.text).toBe(202);
    accepted.push(fifth.body.job);

    // The sixth, over REST: 429 with Retry-After (seconds, within the minute).
    expectRateLimited(await postJob(sender, messageBody(general.id, text(6))), 60);

    // The seventh, over the WebSocket: an error frame with the same code and the ref.
    const refused = await sendOverSocket(socket, 'ws-7', { roomId: general.id, text: text(7) });
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited', ref: 'ws-7' });

    // Another user at the same moment is not affected.
    const other = await postJob(bystander, messageBody(general.id, `${prefix} from someone else`));
    expect(other.status, other.text).toBe(202);

    // Exactly the accepted five are in the room; the refused ones never became messages.
    for (const job of accepted) await waitForCompletion(sender, job.id);
    await waitForCompletion(bystander, other.body.job.id);
    await sleep(300);
    const texts = await textsStartingWith(sender, general.id, `${prefix} #`);
    expect(texts.sort()).toEqual([1, 2, 3, 4, 5].map(text));
  });

  it('answers a replay of an accepted request even over the limit, and a replay never counts', async () => {
    const sender = await register(server, uniqueName('replayer'));
    const socket = await connect(sender);
    const prefix = `replay ${uniqueName('t')}`;
    const restKey = `rest-${uniqueName('k')}`;
    const wsKey = `ws-${uniqueName('k')}`;
    const restBody = messageBody(general.id, `${prefix} rest`);

    const original = await postJob(sender, restBody, { 'idempotency-key': restKey });
    expect(original.status, original.text).toBe(202);
    const originalWs = expectSent(
      await sendOverSocket(socket, 'ws-original', {
        roomId: general.id,
        text: `${prefix} ws`,
        idempotencyKey: wsKey,
      }),
    );

    // Replays while under the limit: answered, and they use up nothing.
    for (let i = 0; i < 3; i++) {
      const replay = await postJob(sender, restBody, { 'idempotency-key': restKey });
      expect(replay.status, replay.text).toBe(202);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body.job.id).toBe(original.body.job.id);
    }
    // So three new sends still fit (2 + 3 = 5) ...
    for (let n = 1; n <= 3; n++) {
      const response = await postJob(sender, messageBody(general.id, `${prefix} new ${n}`));
      expect(response.status, `new send ${n} after replays: ${response.text}`).toBe(202);
    }
    // ... and the next new one does not.
    expectRateLimited(await postJob(sender, messageBody(general.id, `${prefix} one too many`)), 60);

    // Over the limit, a replay is still the original job: 202, its Location, Idempotent-Replayed.
    const replay = await postJob(sender, restBody, { 'idempotency-key': restKey });
    expect(replay.status, replay.text).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('location')).toBe(`/jobs/${original.body.job.id}`);
    expect(replay.body.job.id).toBe(original.body.job.id);

    // Same over the WebSocket: the `sent` answer names the original job.
    const wsReplay = await sendOverSocket(socket, 'ws-replay', {
      roomId: general.id,
      text: `${prefix} ws`,
      idempotencyKey: wsKey,
    });
    expect(wsReplay).toMatchObject({ type: 'sent', ref: 'ws-replay', job: { id: originalWs.id } });

    // A new key is still refused: the replays did not reset anything either.
    expectRateLimited(
      await postJob(sender, messageBody(general.id, `${prefix} new key`), {
        'idempotency-key': `new-${uniqueName('k')}`,
      }),
      60,
    );

    await waitForCompletion(sender, original.body.job.id);
    await waitForCompletion(sender, originalWs.id);
    await sleep(300);
    const texts = await textsStartingWith(sender, general.id, prefix);
    expect(texts.sort()).toEqual([
      `${prefix} new 1`,
      `${prefix} new 2`,
      `${prefix} new 3`,
      `${prefix} rest`,
      `${prefix} ws`,
    ]);
  });

  it('answers a burst of the same request with one job, not 429, and counts it once', async () => {
    // A client retrying one request many times at once: every answer is the one job (or 409
    // while it is in flight). Idempotency is checked before the rate limit, so none is a 429.
    const sender = await register(server, uniqueName('burst'));
    const key = `burst-${uniqueName('k')}`;
    const body = messageBody(general.id, `burst ${key}`);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postJob(sender, body, { 'idempotency-key': key })),
    );
    const jobIds = new Set<string>();
    for (const answer of answers) {
      expect([202, 409], `one of the burst answered ${answer.status}: ${answer.text}`).toContain(
        answer.status,
      );
      if (answer.status === 202) jobIds.add(answer.body.job.id);
      else expect(errorOf(answer).code).toBe('idempotency_in_progress');
    }
    expect(jobIds.size).toBe(1);
    await waitForCompletion(sender, [...jobIds][0]!);

    // The burst counted as one send: four more fit in the minute, the fifth does not.
    for (let n = 1; n < SENDS_PER_MINUTE; n++) {
      const response = await postJob(sender, messageBody(general.id, `after burst ${key} ${n}`));
      expect(response.status, `send ${n} after the burst: ${response.text}`).toBe(202);
    }
    expectRateLimited(await postJob(sender, messageBody(general.id, `after burst ${key} over`)), 60);
    await sleep(300);
    expect(await textsStartingWith(sender, general.id, body.text)).toEqual([body.text]);
  });

  describe(`sockets per user (${MAX_SOCKETS_PER_USER})`, () => {
    /** Opens a socket that may be refused after the upgrade: its first frame, or its close. */
    function openRaw(
      token: string,
    ): Promise<{ first?: ServerFrame; closed: Promise<Closed>; ws: WebSocket }> {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(server.wsUrl, { headers: { authorization: `Bearer ${token}` } });
        const closed = new Promise<Closed>((resolveClosed) => {
          ws.on('close', (code, reason) => resolveClosed({ code, reason: reason.toString() }));
        });
        ws.once('message', (data) =>
          resolve({ first: JSON.parse(data.toString()) as ServerFrame, closed, ws }),
        );
        ws.once('close', () => resolve({ closed, ws }));
        ws.once('unexpected-response', (_request, response) =>
          reject(new Error(`upgrade refused with HTTP ${response.statusCode}`)),
        );
        ws.once('error', reject);
      });
    }

    it('lets a user hold 20 sockets, closes the 21st with 1008, and lets others connect', async () => {
      const busy = await register(server, uniqueName('busy'));
      const other = await register(server, uniqueName('other'));
      const mine = await Promise.all(
        Array.from({ length: MAX_SOCKETS_PER_USER }, () => sockets.connect(busy)),
      );
      for (const socket of mine) expect(socket.ready.type).toBe('ready');

      const extra = await openRaw(busy.token);
      const closed = await Promise.race([
        extra.closed,
        sleep(5_000).then(() => ({ code: -1, reason: 'not closed within 5 s' })),
      ]);
      expect(
        closed.code,
        `21st socket: first frame ${JSON.stringify(extra.first)}, close ${closed.reason}`,
      ).toBe(1008);
      // Also through the dedicated WS_PORT listener: the limit is per user, not per listener.
      const viaWsPort = new WebSocket(server.wsPortUrl, {
        headers: { authorization: `Bearer ${busy.token}` },
      });
      const wsPortClose = await new Promise<number>((resolve, reject) => {
        viaWsPort.once('close', (code) => resolve(code));
        viaWsPort.once('error', reject);
      });
      expect(wsPortClose).toBe(1008);

      // The 20 still work, and another user connects.
      const probe = mine[0]!;
      probe.send({ type: 'ping', ref: 'still-alive' });
      await probe.next((frame) => frame.type === 'pong' && frame.ref === 'still-alive');
      const theirs = await connect(other);
      expect(theirs.ready.user.id).toBe(other.user.id);

      // Once one of the 20 is closed, the user may open another one.
      await mine[1]!.close();
      let replacement: Awaited<ReturnType<typeof openRaw>> | undefined;
      for (const deadline = Date.now() + 3_000; Date.now() < deadline; ) {
        const attempt = await openRaw(busy.token);
        if (attempt.first?.type === 'ready') {
          replacement = attempt;
          break;
        }
        await sleep(100); // the server may not have seen the close yet
      }
      expect(replacement?.first?.type, 'a socket after closing one of the 20').toBe('ready');
      replacement?.ws.close();
    });
  });
});

describe('sends with RATE_LIMIT_SENDS_PER_MINUTE=0 (no limit)', () => {
  let server: TestServer;
  let sender: Account;
  let general: Room;

  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_SENDS_PER_MINUTE: '0' } });
    await register(server, uniqueName('admin'));
    sender = await register(server, uniqueName('sender'));
    general = await generalRoom(sender);
  });
  afterAll(() => server?.dispose());

  it('accepts 20 quick sends', async () => {
    const prefix = `unlimited ${uniqueName('t')}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postJob(sender, messageBody(general.id, `${prefix} #${i}`))),
    );
    for (const answer of answers) expect(answer.status, answer.text).toBe(202);
    expect(new Set(answers.map((answer) => answer.body.job.id)).size).toBe(20);
  });

  it('makes exactly one job and one message of 20 concurrent requests with one idempotency key', async () => {
    const key = `race-${uniqueName('k')}`;
    const body = messageBody(general.id, `raced ${key}`);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postJob(sender, body, { 'idempotency-key': key })),
    );
    const jobIds = new Set<string>();
    let replayed = 0;
    for (const answer of answers) {
      expect([202, 409], answer.text).toContain(answer.status);
      if (answer.status === 202) {
        jobIds.add(answer.body.job.id);
        expect(answer.headers.get('location')).toBe(`/jobs/${answer.body.job.id}`);
        if (answer.headers.get('idempotent-replayed') === 'true') replayed += 1;
      } else {
        expect(errorOf(answer).code).toBe('idempotency_in_progress');
      }
    }
    expect(jobIds.size).toBe(1);
    // At most one answer is the original; every other 202 is marked as a replay.
    const accepted = answers.filter((answer) => answer.status === 202).length;
    expect(replayed).toBeGreaterThanOrEqual(accepted - 1);
    await waitForCompletion(sender, [...jobIds][0]!);
    await sleep(300);
    expect(await textsStartingWith(sender, general.id, body.text)).toEqual([body.text]);
  });
});

describe(`login throttling (LOGIN_MAX_FAILURES=${LOGIN_MAX_FAILURES})`, () => {
  let server: TestServer;
  const WINDOW_SECONDS = 15 * 60;

  beforeAll(async () => {
    server = await startServer({ env: { LOGIN_MAX_FAILURES: String(LOGIN_MAX_FAILURES) } });
    await register(server, uniqueName('admin'));
  });
  afterAll(() => server?.dispose());

  const login = (username: string, password: string) =>
    request(server, '/auth/login', { json: { username, password } });

  it('refuses a username after 3 failures with 429, even with the right password; others still sign in', async () => {
    const victim = await register(server, uniqueName('victim'));
    const neighbour = await register(server, uniqueName('neighbour'));
    for (let i = 1; i <= LOGIN_MAX_FAILURES; i++) {
      const wrong = await login(victim.username, `wrong-password-${i}`);
      expect(wrong.status, `wrong password ${i}: ${wrong.text}`).toBe(401);
      expect(errorOf(wrong).code).toBe('unauthenticated');
    }
    const right = await login(victim.username, victim.password);
    expectRateLimited(right, WINDOW_SECONDS);
    expect(right.body).not.toHaveProperty('token');
    // The same username in another case is the same username.
    expectRateLimited(await login(victim.username.toUpperCase(), victim.password), WINDOW_SECONDS);
    expectRateLimited(await login(victim.username, 'wrong-again'), WINDOW_SECONDS);

    // Another username from the same address is not affected.
    const other = await login(neighbour.username, neighbour.password);
    expect(other.status, other.text).toBe(200);
    // The victim's existing session keeps working: only sign-ins are throttled.
    expect((await victim.api.get('/me')).status).toBe(200);
  });

  it('does not count successes', async () => {
    const regular = await register(server, uniqueName('regular'));
    for (let i = 1; i <= LOGIN_MAX_FAILURES + 2; i++) {
      const response = await login(regular.username, regular.password);
      expect(response.status, `success ${i}: ${response.text}`).toBe(200);
    }
    // Nor do successes and the registration add to the failures: 3 are allowed, not fewer.
    for (let i = 1; i < LOGIN_MAX_FAILURES; i++) {
      expect((await login(regular.username, 'not-it-at-all')).status).toBe(401);
    }
    expect((await login(regular.username, regular.password)).status).toBe(200);
  });

  it(`refuses an address after ${LOGIN_MAX_FAILURES * 10} failures, whatever the usernames; other addresses still sign in`, async () => {
    const address = '127.0.0.3';
    const account = await register(server, uniqueName('roamer'));
    // Spread over usernames so that no single username reaches its own limit.
    const perName = LOGIN_MAX_FAILURES - 1;
    const names = Array.from({ length: (LOGIN_MAX_FAILURES * 10) / perName }, () => uniqueName('nobody'));
    await Promise.all(
      names.map(async (name) => {
        for (let i = 0; i < perName; i++) {
          const response = await postFrom(address, server, '/auth/login', {
            username: name,
            password: 'guessing-123',
          });
          expect(response.status, `failure ${i + 1} for ${name} from ${address}`).toBe(401);
        }
      }),
    );
    const blocked = await postFrom(address, server, '/auth/login', {
      username: account.username,
      password: account.password,
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.code).toBe('rate_limited');
    expect(blocked.retryAfter).toMatch(/^\d+$/);
    expect(Number(blocked.retryAfter)).toBeGreaterThanOrEqual(1);

    const elsewhere = await login(account.username, account.password);
    expect(elsewhere.status, elsewhere.text).toBe(200);
  });
});

describe(`profile changes per user (RATE_LIMIT_PROFILE_CHANGES_PER_HOUR=${PROFILE_CHANGES_PER_HOUR})`, () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      env: { RATE_LIMIT_PROFILE_CHANGES_PER_HOUR: String(PROFILE_CHANGES_PER_HOUR) },
    });
    await register(server, uniqueName('admin'));
  });
  afterAll(() => server?.dispose());

  const putAvatar = (account: Account, bytes: Uint8Array) =>
    account.api.request('/me/avatar', {
      method: 'PUT',
      body: bytes,
      headers: { 'content-type': 'image/png' },
    });

  it('counts renames and avatar changes together, refuses the next with rate_limited, and changes nothing then', async () => {
    const user = await register(server, uniqueName('fidget'));
    const bystander = await register(server, uniqueName('bystander'));

    // Three changes: a rename, a new picture, its removal.
    expect((await user.api.patch('/me', { displayName: 'First name' })).status).toBe(200);
    expect((await putAvatar(user, makePng(32, 32))).status).toBe(200);
    expect((await user.api.request('/me/avatar', { method: 'DELETE' })).status).toBe(200);

    // The fourth, of any kind, within the hour: 429 with Retry-After (seconds, within the hour).
    expectRateLimited(await user.api.patch('/me', { displayName: 'Second name' }), 3600);
    expectRateLimited(await putAvatar(user, makePng(32, 32)), 3600);
    const me = await user.api.get<{ user: { displayName: string; avatarUrl?: string | null } }>('/me');
    expect(me.body.user.displayName).toBe('First name');
    expect(me.body.user.avatarUrl ?? null).toBeNull();

    // Someone else at the same moment is not affected.
    expect((await bystander.api.patch('/me', { displayName: 'Unhurried' })).status).toBe(200);
  });
});

describe(`registrations per address (REGISTRATIONS_PER_HOUR_PER_ADDRESS=${REGISTRATIONS_PER_HOUR})`, () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      env: { REGISTRATIONS_PER_HOUR_PER_ADDRESS: String(REGISTRATIONS_PER_HOUR) },
    });
  });
  afterAll(() => server?.dispose());

  it('refuses the 4th registration from one address within the hour with 429; another address may register', async () => {
    const accounts: Account[] = [];
    for (let i = 0; i < REGISTRATIONS_PER_HOUR; i++)
      accounts.push(await register(server, uniqueName('early')));

    const username = uniqueName('late');
    const refused = await request(server, '/auth/register', {
      json: { username, password: 'late-but-valid-pw' },
    });
    expectRateLimited(refused, 3600);
    // Nothing was created: the name cannot sign in.
    expect(
      (await request(server, '/auth/login', { json: { username, password: 'late-but-valid-pw' } })).status,
    ).toBe(401);

    const fromElsewhere = await postFrom('127.0.0.2', server, '/auth/register', {
      username,
      password: 'late-but-valid-pw',
    });
    expect(fromElsewhere.status).toBe(201);

    // The limit is on creating accounts, not on using them.
    const first = accounts[0]!;
    const again = await request(server, '/auth/login', {
      json: { username: first.username, password: first.password },
    });
    expect(again.status, again.text).toBe(200);
  });
});
