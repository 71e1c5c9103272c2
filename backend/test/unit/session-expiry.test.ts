/**
 * Sessions end at their expiry, on a clock the test moves: a token stops authenticating, and
 * a live socket of the session is closed with 4001 by the expiry sweep.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountsService } from '../../src/core/accounts/accounts-service.js';
import type { Clock } from '../../src/core/clock.js';
import { Connection } from '../../src/core/delivery/connection.js';
import { Hub } from '../../src/core/delivery/hub.js';
import type { Database } from '../../src/core/ports/database.js';
import { neverBlocked, unlimited } from '../../src/core/ports/rate-limiter.js';
import { ensureDefaultRoom } from '../../src/core/rooms/default-room.js';
import { UnitOfWork } from '../../src/core/unit-of-work.js';
import { InProcessFanOut } from '../../src/fanout/in-process-fan-out.js';
import { openSqlite } from '../../src/storage/sqlite/open-sqlite.js';
import { lengthPrefixFramer } from '../support/length-prefix-framer.js';

const HOUR = 3_600_000;

/** A clock that only moves when told to. */
function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { nowMs: () => now, advance: (ms) => (now += ms) };
}

/** Passwords without argon2's cost: this test is about time, not hashing. */
const plainHasher = {
  hash: async (secret: string) => `plain:${secret}`,
  verify: async (hash: string, secret: string) => hash === `plain:${secret}`,
};

describe('session expiry', () => {
  let db: Database;
  const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
  const fanOut = new InProcessFanOut();
  let accounts: AccountsService;

  beforeEach(async () => {
    db = await openSqlite(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-expiry-')));
    await ensureDefaultRoom(db);
    accounts = new AccountsService(
      db,
      new UnitOfWork(db, fanOut),
      plainHasher,
      fanOut,
      {
        loginFailures: { perUsername: neverBlocked, perAddress: neverBlocked },
        registrationsPerAddress: unlimited,
      },
      { clock, sessionLifetimeMs: HOUR },
    );
  });
  afterEach(() => db.close());

  it('authenticates a token until its session expires, and not after', async () => {
    const { token } = await accounts.register({ username: 'ann', password: 'long enough pass' }, '::1');
    clock.advance(HOUR - 1000);
    expect((await accounts.authenticate(token))?.user.username).toBe('ann');
    clock.advance(2000);
    expect(await accounts.authenticate(token)).toBeUndefined();
  });

  it('closes a socket of an expired session with 4001, and only once it expired', async () => {
    const { token } = await accounts.register({ username: 'bo', password: 'long enough pass' }, '::1');
    const principal = await accounts.authenticate(token);
    if (!principal) throw new Error('the new session must authenticate');
    const hub = new Hub(fanOut, lengthPrefixFramer);
    const closes: number[] = [];
    const connection = new Connection(
      {
        send: () => {},
        sendFramed: () => {},
        close: (code) => closes.push(code),
        bufferedAmount: 0,
      },
      principal,
      async () => [],
      { warn: () => {} },
      {
        resumeRequested: false,
        heartbeatMs: 25_000,
        maxBufferedBytes: 1_000_000,
        catchUpHighWaterBytes: 500_000,
        catchUpPageSize: 10,
        framer: lengthPrefixFramer,
      },
    );
    hub.register(connection);
    hub.closeExpiredSessions(new Date(clock.nowMs()).toISOString());
    expect(closes).toEqual([]);
    clock.advance(HOUR);
    hub.closeExpiredSessions(new Date(clock.nowMs()).toISOString());
    expect(closes).toEqual([CLOSE_CODES.sessionEnded]);
    hub.close();
  });
});
