/**
 * The lean `POST /jobs` edge (http/lean-job-route.ts) answers exactly as the Express app does.
 * Each request of the table is sent twice: as is, which the lean edge takes on, and with
 * `Content-Encoding: identity`, which it leaves to Express (body-parser reads identity as no
 * encoding at all). Both answers must match each other (status, body, every header but Date and
 * the job's own Location) and what the contract says.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, createRoom, register } from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

const OTHER_ORIGIN = 'https://chat.example.com';
/** Small, so an oversized JSON body is quick to send: the JSON limit is 4/3 of it + 64 KiB. */
const MAX_UPLOAD_BYTES = 30_000;
const JSON_LIMIT = Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

let server: TestServer;
let alice: Account;
let roomId: string;

beforeAll(async () => {
  server = await startServer({
    env: { ALLOWED_ORIGINS: OTHER_ORIGIN, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) },
  });
  alice = await register(server);
  roomId = (await createRoom(alice, { name: 'Lean edge', visibility: 'private' })).id;
});

afterAll(async () => {
  await server?.dispose();
});

/** A raw POST /jobs (node's own client: every header as written, Content-Length always set). */
function post(headers: Record<string, string>, body: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    const req = http.request(
      `${server.httpUrl}/jobs`,
      { method: 'POST', headers: { ...headers, 'content-length': String(payload.length) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const json = { 'content-type': 'application/json' };
const bearer = () => ({ authorization: `Bearer ${alice.token}` });
const message = (text: string) => JSON.stringify({ type: 'message', roomId, text });
const ownOrigin = () => server.httpUrl;
const httpsOwnOrigin = () => server.httpUrl.replace('http://', 'https://');

interface Case {
  name: string;
  headers: () => Record<string, string>;
  body: () => string | Buffer;
  status: number;
  code?: string;
  /** Headers the answer must carry (undefined: must not carry). */
  expectHeaders?: Record<string, string | RegExp | undefined>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'strict-transport-security': undefined,
  'content-type': 'application/json; charset=utf-8',
};

const cases: Case[] = [
  {
    name: 'a message with a bearer token',
    headers: () => ({ ...json, ...bearer() }),
    body: () => message('hello'),
    status: 202,
    expectHeaders: { 'access-control-allow-origin': undefined, 'idempotent-replayed': undefined },
  },
  {
    name: 'charset=utf-8 and a BOM',
    headers: () => ({ 'content-type': 'application/json; charset=UTF-8', ...bearer() }),
    body: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(message('bom'))]),
    status: 202,
  },
  {
    name: 'no credentials',
    headers: () => json,
    body: () => message('x'),
    status: 401,
    code: 'unauthenticated',
    expectHeaders: { 'www-authenticate': 'Bearer' },
  },
  {
    name: 'a bad token',
    headers: () => ({ ...json, authorization: 'Bearer not-a-session' }),
    body: () => message('x'),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'a cookie without Origin',
    headers: () => ({ ...json, cookie: alice.cookie }),
    body: () => message('x'),
    status: 403,
    code: 'origin_not_allowed',
  },
  {
    name: 'a cookie from another origin',
    headers: () => ({ ...json, cookie: alice.cookie, origin: 'https://evil.example' }),
    body: () => message('x'),
    status: 403,
    code: 'origin_not_allowed',
  },
  {
    name: 'a cookie from the own origin',
    headers: () => ({ ...json, cookie: alice.cookie, origin: ownOrigin() }),
    body: () => message('cookie'),
    status: 202,
  },
  {
    name: 'a cookie from the https own origin behind a trusted proxy (HSTS too)',
    headers: () => ({
      ...json,
      cookie: alice.cookie,
      origin: httpsOwnOrigin(),
      'x-forwarded-proto': 'https',
    }),
    body: () => message('proxied'),
    status: 202,
    expectHeaders: { 'strict-transport-security': 'max-age=31536000' },
  },
  {
    name: 'a cookie from the http own origin while the proxy says https',
    headers: () => ({ ...json, cookie: alice.cookie, origin: ownOrigin(), 'x-forwarded-proto': 'https' }),
    body: () => message('x'),
    status: 403,
    code: 'origin_not_allowed',
    expectHeaders: { 'strict-transport-security': 'max-age=31536000' },
  },
  {
    name: 'an ALLOWED_ORIGINS origin gets CORS headers',
    headers: () => ({ ...json, ...bearer(), origin: OTHER_ORIGIN }),
    body: () => message('cors'),
    status: 202,
    expectHeaders: {
      'access-control-allow-origin': OTHER_ORIGIN,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'Location, Idempotent-Replayed, Retry-After',
      vary: 'Origin',
    },
  },
  {
    name: 'CORS headers on a refusal too',
    headers: () => ({ ...json, origin: OTHER_ORIGIN }),
    body: () => message('x'),
    status: 401,
    code: 'unauthenticated',
    expectHeaders: { 'access-control-allow-origin': OTHER_ORIGIN, vary: 'Origin' },
  },
  {
    name: 'text/plain',
    headers: () => ({ 'content-type': 'text/plain', ...bearer() }),
    body: () => message('x'),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'JSON cut short',
    headers: () => ({ ...json, ...bearer() }),
    body: () => '{"type":"message",',
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'a JSON string, not an object',
    headers: () => ({ ...json, ...bearer() }),
    body: () => ' "hello"',
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'no body at all',
    headers: () => ({ ...json, ...bearer() }),
    body: () => '',
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'over the JSON limit',
    headers: () => ({ ...json, ...bearer() }),
    body: () => JSON.stringify({ type: 'message', roomId, text: 'x'.repeat(JSON_LIMIT) }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'an invalid job',
    headers: () => ({ ...json, ...bearer() }),
    body: () => JSON.stringify({ type: 'message', text: 42 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'an invalid job with a bad key: the body is judged first',
    headers: () => ({ ...json, ...bearer(), 'idempotency-key': 'k'.repeat(300) }),
    body: () => JSON.stringify({ type: 'message' }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'an Idempotency-Key too long',
    headers: () => ({ ...json, ...bearer(), 'idempotency-key': 'k'.repeat(300) }),
    body: () => message('x'),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a room the caller cannot read',
    headers: () => ({ ...json, ...bearer() }),
    body: () =>
      JSON.stringify({ type: 'message', roomId: '00000000-0000-7000-8000-000000000000', text: 'x' }),
    status: 404,
    code: 'not_found',
  },
];

/** Every header but those that differ between any two answers (Date) or name the job (Location, its length). */
function comparable(answer: Answer): Record<string, unknown> {
  const { date: _date, location: _location, 'content-length': _length, ...rest } = answer.headers;
  return rest;
}

function comparableBody(answer: Answer): unknown {
  const body = JSON.parse(answer.text) as { job?: Record<string, unknown> };
  if (!body.job) return body;
  return { jobKeys: Object.keys(body.job).sort(), status: body.job.status, type: body.job.type };
}

function expectContract(answer: Answer, test: Case): void {
  expect(answer.status, answer.text).toBe(test.status);
  const wanted: Record<string, string | RegExp | undefined> = { ...SECURITY_HEADERS, ...test.expectHeaders };
  for (const [name, value] of Object.entries(wanted)) {
    if (value instanceof RegExp) expect(answer.headers[name], name).toMatch(value);
    else expect(answer.headers[name], name).toBe(value);
  }
  const body = JSON.parse(answer.text) as { job?: { id: string }; error?: { code: string } };
  if (test.status === 202) {
    expect(body.job?.id).toMatch(UUID);
    expect(answer.headers.location).toBe(`/jobs/${body.job?.id}`);
  } else {
    expect(body.error?.code).toBe(test.code);
    expect(answer.headers.location).toBeUndefined();
  }
}

describe('POST /jobs on the lean edge and on Express', () => {
  for (const test of cases) {
    it(`${test.name}: ${test.status}`, async () => {
      const lean = await post(test.headers(), test.body());
      const express = await post({ ...test.headers(), 'content-encoding': 'identity' }, test.body());
      expectContract(lean, test);
      expectContract(express, test);
      expect(comparable(lean)).toEqual(comparable(express));
      expect(comparableBody(lean)).toEqual(comparableBody(express));
    });
  }

  it('names the bad fields alike', async () => {
    const body = JSON.stringify({ type: 'message', roomId: 'not-a-uuid', text: '' });
    const lean = await post({ ...json, ...bearer() }, body);
    const express = await post({ ...json, ...bearer(), 'content-encoding': 'identity' }, body);
    const fields = (answer: Answer) =>
      (JSON.parse(answer.text) as { error: { details: { fields: unknown[] } } }).error.details.fields;
    expect(fields(lean).length).toBeGreaterThan(0);
    expect(fields(lean)).toEqual(fields(express));
  });

  it('replays a key: the same job, Idempotent-Replayed on the second answer', async () => {
    for (const encoding of [{}, { 'content-encoding': 'identity' }] as Record<string, string>[]) {
      const headers = { ...json, ...bearer(), ...encoding, 'idempotency-key': `key-${Math.random()}` };
      const first = await post(headers, message('once'));
      const second = await post(headers, message('once'));
      expect(first.status).toBe(202);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(second.status).toBe(202);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.headers.location).toBe(first.headers.location);
    }
  });
});
