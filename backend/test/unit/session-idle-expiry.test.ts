/**
 * Idle expiry on a clock the test moves: a session unused for the idle limit stops
 * authenticating (and cannot be brought back), a used one lives on until its absolute expiry,
 * a use is written at most once an hour, and an open socket counts as a use.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountsService } from '../../src/core/accounts/accounts-service.js';
import type { Principal } from '../../src/core/accounts/principal.js';
import type { Clock } from '../../src/core/clock.js';
import { Connection } from '../../src/core/delivery/connection.js';
import { ConnectionRecheck } from '../../src/core/delivery/connection-recheck.js';
import { Hub } from '../../src/core/delivery/hub.js';
import type { Database } from '../../src/core/ports/database.js';
import { neverBlocked, unlimited } from '../../src/core/ports/rate-limiter.js';
import { ensureDefaultRoom } from '../../src/core/rooms/default-room.js';
import { UnitOfWork } from '../../src/core/unit-of-work.js';
import { InProcessFanOut } from '../../src/fanout/in-process-fan-out.js';
import { openSqlite } from '../../src/storage/sqlite/open-sqlite.js';
import { lengthPrefixFramer } from '../support/length-prefix-framer.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function manualClock(start: number): Clock & { advance(ms: number): void; iso(): string } {
  let now = start;
  return {
    nowMs: () => now,
    advance: (ms) => (now += ms),
    iso: () => new Date(now).toISOString(),
  };
}

const plainHasher = {
  hash: async (secret: string) => `plain:${secret}`,
  verify: async (hash: string, secret: string) => hash === `plain:${secret}`,
};

describe('session idle expiry', () => {
  let db: Database;
  let clock: ReturnType<typeof manualClock>;
  let accounts: AccountsService;
  let writes: number;

  beforeEach(async () => {
    clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
    db = await openSqlite(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-idle-')));
    await ensureDefaultRoom(db);
    // Count the writes of last-seen times that actually change a row.
    writes = 0;
    const touch = db.sessions.touch.bind(db.sessions);
    db.sessions.touch = async (ids, now, staleBefore, idleCutoff) => {
      const before = await db.sessions.liveAmong(ids, now);
      const seen = async () =>
        (await Promise.all([...before].map((id) => db.sessions.findLive({ id }, now)))).map(
          (found) => found?.session.lastSeenAt,
        );
      const was = await seen();
      await touch(ids, now, staleBefore, idleCutoff);
      const is = await seen();
      writes += is.filter((value, index) => value !== was[index]).length;
    };
    const fanOut = new InProcessFanOut();
    accounts = new AccountsService(
      db,
      new UnitOfWork(db, fanOut),
      plainHasher,
      fanOut,
      {
        loginFailures: { perUsername: neverBlocked, perAddress: neverBlocked },
        registrationsPerAddress: unlimited,
      },
      { clock, sessionLifetimeMs: 30 * DAY, sessionIdleMs: DAY },
    );
  });
  afterEach(() => db.close());

  const signUp = async (username: string) =>
    (await accounts.register({ username, password: 'long enough pass' }, '::1', 'Test agent')).token;

  it('keeps a session that is used, and ends one left unused for the idle limit', async () => {
    const { token, sessionId } = await accounts.register(
      { username: 'ann', password: 'long enough pass' },
      '::1',
    );
    for (let day = 0; day < 5; day++) {
      clock.advance(DAY - HOUR); // used every 23 hours: never idle for a day
      expect((await accounts.authenticate(token))?.user.username).toBe('ann');
    }
    clock.advance(DAY + 1);
    expect(await accounts.authenticate(token)).toBeUndefined();
    // A later use does not bring it back, nor does a direct attempt to record one.
    await db.sessions.touch(
      [sessionId],
      clock.iso(),
      clock.iso(),
      new Date(clock.nowMs() - DAY).toISOString(),
    );
    clock.advance(MINUTE);
    expect(await accounts.authenticate(token)).toBeUndefined();
  });

  it('still ends a session at its absolute expiry, however much it is used', async () => {
    const token = await signUp('bo');
    for (let hours = 0; hours < 30 * 24 - 12; hours += 12) {
      clock.advance(12 * HOUR);
      expect(await accounts.authenticate(token)).toBeDefined();
    }
    clock.advance(12 * HOUR);
    expect(await accounts.authenticate(token)).toBeUndefined();
  });

  it('writes a use at most once an hour, whatever the number of requests', async () => {
    const token = await signUp('cy');
    for (let minute = 0; minute < 59; minute++) {
      clock.advance(MINUTE);
      await accounts.authenticate(token);
    }
    expect(writes).toBe(0); // seen at sign-in, under an hour ago
    clock.advance(2 * MINUTE);
    await accounts.authenticate(token);
    await accounts.authenticate(token);
    expect(writes).toBe(1);
    const principal = await accounts.authenticate(token);
    if (!principal) throw new Error('the session must be live');
    const [listed] = await accounts.listSessions(principal);
    expect(listed).toMatchObject({
      current: true,
      lastSeenAt: '2026-01-01T01:01:00.000Z',
      // Unused from now on, it ends a day after that use.
      expiresAt: '2026-01-02T01:01:00.000Z',
      userAgent: 'Test agent',
    });
  });

  it('refuses a WebSocket ticket of a session that went idle', async () => {
    const token = await signUp('di');
    const principal = await accounts.authenticate(token);
    if (!principal) throw new Error('the session must be live');
    clock.advance(DAY - MINUTE);
    const { ticket } = await accounts.issueWsTicket(principal);
    clock.advance(2 * MINUTE);
    expect(await accounts.redeemWsTicket(ticket)).toBeUndefined();
  });

  it('counts an open socket as a use: the recheck keeps its session, and closes it once idle', async () => {
    const listening = await signUp('ed');
    const forgotten = await signUp('fay');
    const hub = new Hub(new InProcessFanOut(), lengthPrefixFramer);
    const recheck = new ConnectionRecheck(db, hub, clock, DAY);
    const socketOf = async (token: string) => {
      const principal = (await accounts.authenticate(token)) as Principal;
      const closes: number[] = [];
      const connection = new Connection(
        { send: () => {}, sendFramed: () => {}, close: (code) => closes.push(code), bufferedAmount: 0 },
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
      connection.start([]);
      hub.started(connection);
      return closes;
    };
    const listeningCloses = await socketOf(listening);
    // Three days on one socket, rechecked every few minutes, without a single request.
    for (let minutes = 0; minutes < 3 * 24 * 60; minutes += 5) {
      clock.advance(5 * MINUTE);
      await recheck.run();
    }
    expect(listeningCloses).toEqual([]);
    expect(writes).toBeLessThanOrEqual(3 * 24 + 1);
    expect(await accounts.authenticate(listening)).toBeDefined();
    expect(await accounts.authenticate(forgotten)).toBeUndefined();

    // A socket whose session went idle anyway (no recheck ran for a day) is closed, not revived.
    const idleCloses = await socketOf(listening);
    clock.advance(DAY + MINUTE);
    await recheck.run();
    expect(idleCloses).toEqual([CLOSE_CODES.sessionEnded]);
    expect(listeningCloses).toEqual([CLOSE_CODES.sessionEnded]);
    hub.close();
  });
});
