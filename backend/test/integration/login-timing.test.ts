/**
 * No user enumeration by timing: a sign-in with an unknown username takes as long as one with
 * a wrong password for a real account (both verify an argon2 hash), measured over many tries,
 * interleaved so the machine's load falls on both alike. The bound is loose on purpose (a
 * loaded machine varies); what it catches is the difference of skipping the hash, which is
 * two orders of magnitude.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, request, uniqueName } from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

const TRIES = 24;

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ env: { LOGIN_MAX_FAILURES: '0' } });
});
afterAll(() => server?.dispose());

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return ((sorted[(sorted.length - 1) >> 1] as number) + (sorted[sorted.length >> 1] as number)) / 2;
};

async function timedLogin(username: string): Promise<number> {
  const started = performance.now();
  const response = await request(server, '/auth/login', { json: { username, password: 'not the password' } });
  const elapsed = performance.now() - started;
  expect(response.status).toBe(401);
  return elapsed;
}

describe('sign-in timing', () => {
  it('takes as long for an unknown username as for a wrong password', { timeout: 120_000 }, async () => {
    const known = await register(server, uniqueName('known'));
    await timedLogin(known.username); // warm up both paths
    await timedLogin(uniqueName('ghost'));
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < TRIES; i++) {
      knownTimes.push(await timedLogin(known.username));
      unknownTimes.push(await timedLogin(uniqueName('ghost')));
    }
    const ratio = median(unknownTimes) / median(knownTimes);
    console.info(
      `sign-in timing: median wrong password ${median(knownTimes).toFixed(1)} ms, unknown user ${median(unknownTimes).toFixed(1)} ms (ratio ${ratio.toFixed(2)})`,
    );
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
