/**
 * While the server shuts down, `POST /jobs` is refused alike on the lean edge and on Express:
 * 503, Retry-After: 2, Connection: close, the security headers, counted in the metrics. The
 * window is too short to hit reliably against a real server process, so this runs the real
 * request listener in-process with a readiness that says "shutting down"; nothing gets past the
 * gate, so the services are never called.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRequestListener } from '../../../src/http/request-listener.js';
import type { Services } from '../../../src/http/services.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { OriginPolicy } from '../../../src/request-auth/origin-policy.js';
import { ProxyTrust } from '../../../src/request-auth/proxy-trust.js';

const metrics = new Metrics(() => 0);
const quiet = { debug() {}, error() {} };
const server = http.createServer(
  createRequestListener({
    services: {} as Services,
    origins: new OriginPolicy({ allowedOrigins: [], development: false, httpPort: 0 }),
    proxyTrust: new ProxyTrust(['loopback']),
    appPolicy: { wsPort: 0, allowedOrigins: [], imageOrigins: [] },
    metricsToken: undefined,
    metrics,
    readiness: { check: async () => {}, shuttingDown: () => true },
    log: quiet,
    maxUploadBytes: 1024 * 1024,
    webDistDir: undefined,
  }),
);
let url: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jobs`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function post(headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer whatever', ...headers },
    body: JSON.stringify({ type: 'message', roomId: 'r', text: 'x' }),
  });
  const headersOf = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date'));
  return { status: response.status, headers: headersOf, body: await response.json() };
}

it('answers 503 with Retry-After and Connection: close on both edges, alike', async () => {
  const lean = await post({});
  const express = await post({ 'content-encoding': 'identity' });
  expect(lean.status).toBe(503);
  expect(lean.headers['retry-after']).toBe('2');
  expect(lean.headers.connection).toBe('close');
  expect(lean.headers['x-content-type-options']).toBe('nosniff');
  expect(lean.body).toEqual({
    error: { code: 'unavailable', message: 'The server is shutting down; try again shortly.' },
  });
  expect(lean).toEqual(express);
  const counted = (await metrics.httpRequests.get()).values.find(
    (value) => value.labels.method === 'POST' && value.labels.status === '5xx',
  );
  expect(counted?.value).toBe(2);
});
