/**
 * When pub/sub loses the packet of a logout, a deactivation or a removal from a room, the
 * periodic recheck still closes or cuts the affected sockets from what the database says. The
 * fan-out here loses everything, so only the recheck can do it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/core/accounts/principal.js';
import { toUser } from '../../src/core/accounts/principal.js';
import { Connection } from '../../src/core/delivery/connection.js';
import { ConnectionRecheck } from '../../src/core/delivery/connection-recheck.js';
import { Hub } from '../../src/core/delivery/hub.js';
import { newId } from '../../src/core/ids.js';
import type { Database } from '../../src/core/ports/database.js';
import type { FanOut } from '../../src/core/ports/fan-out.js';
import type { UserRecord } from '../../src/core/ports/records.js';
import { openSqlite } from '../../src/storage/sqlite/open-sqlite.js';
import { iso, seedRoom, userRecord } from '../storage/fixtures.js';
import { lengthPrefixFramer } from '../support/length-prefix-framer.js';

/** A fan-out whose every packet is lost. */
const losesEverything: FanOut = { publish: () => {}, subscribe: () => () => {}, close: async () => {} };

interface LiveSocket {
  connection: Connection;
  closes: number[];
}

describe('the periodic recheck of live sockets', () => {
  let db: Database;
  let hub: Hub;
  let recheck: ConnectionRecheck;

  beforeEach(async () => {
    db = await openSqlite(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-recheck-')));
    hub = new Hub(losesEverything, lengthPrefixFramer);
    recheck = new ConnectionRecheck(db, hub);
  });
  afterEach(async () => {
    hub.close();
    await db.close();
  });

  async function signedIn(user: UserRecord): Promise<Principal> {
    const sessionId = newId();
    await db.sessions.insert({
      id: sessionId,
      userId: user.id,
      tokenHash: `hash-${sessionId}`,
      createdAt: iso(),
      expiresAt: iso(3_600_000),
      revokedAt: null,
    });
    return { user: toUser(user), sessionId, sessionExpiresAt: iso(3_600_000) };
  }

  async function connect(principal: Principal): Promise<LiveSocket> {
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
    connection.start(await db.memberships.roomCursorsOf(principal.user.id));
    hub.started(connection);
    return { connection, closes };
  }

  async function newUser(): Promise<UserRecord> {
    const user = userRecord();
    expect(await db.users.insert(user)).toBe(true);
    return user;
  }

  it('closes the sockets of a revoked session with 4001 at the first check, and only those', async () => {
    const ann = await newUser();
    const [phone, laptop] = [await signedIn(ann), await signedIn(ann)];
    const onPhone = await connect(phone);
    const onLaptop = await connect(laptop);
    expect(await recheck.run()).toEqual({ sessionsEnded: 0, roomsCut: 0, roomsAdded: 0 });

    await db.sessions.revoke(phone.sessionId, iso());
    expect((await recheck.run()).sessionsEnded).toBe(1);
    expect(onPhone.closes).toEqual([CLOSE_CODES.sessionEnded]);
    expect(onLaptop.closes).toEqual([]);
  });

  it('closes every socket of a deactivated user', async () => {
    const bo = await newUser();
    const socket = await connect(await signedIn(bo));
    await db.users.deactivate(bo.id, iso());
    await recheck.run();
    expect(socket.closes).toEqual([CLOSE_CODES.sessionEnded]);
  });

  it('cuts a room the user was removed from, after two checks agree', async () => {
    const ann = await newUser();
    const bo = await newUser();
    const roomId = await seedRoom(db, ann);
    await db.memberships.insert({ roomId, userId: bo.id, role: 'member', joinedAt: iso(), ackSeq: 0 });
    const annSocket = await connect(await signedIn(ann));
    const boSocket = await connect(await signedIn(bo));
    expect(boSocket.connection.roomIds()).toContain(roomId);

    await db.memberships.delete(roomId, bo.id);
    // One check could have read the database just before a join it has not seen published.
    expect((await recheck.run()).roomsCut).toBe(0);
    expect(boSocket.connection.roomIds()).toContain(roomId);
    expect((await recheck.run()).roomsCut).toBe(1);
    expect(boSocket.connection.roomIds()).not.toContain(roomId);
    expect(annSocket.connection.roomIds()).toContain(roomId);
    expect(boSocket.closes).toEqual([]);
  });

  it('starts a room the user joined without the socket hearing of it, after two checks agree', async () => {
    const ann = await newUser();
    const bo = await newUser();
    const roomId = await seedRoom(db, ann);
    const boSocket = await connect(await signedIn(bo));
    await db.memberships.insert({ roomId, userId: bo.id, role: 'member', joinedAt: iso(), ackSeq: 0 });
    expect((await recheck.run()).roomsAdded).toBe(0);
    expect((await recheck.run()).roomsAdded).toBe(1);
    expect(boSocket.connection.roomIds()).toContain(roomId);
  });

  it('forgets a disagreement that resolved itself between two checks', async () => {
    const ann = await newUser();
    const bo = await newUser();
    const roomId = await seedRoom(db, ann);
    await db.memberships.insert({ roomId, userId: bo.id, role: 'member', joinedAt: iso(), ackSeq: 0 });
    const boSocket = await connect(await signedIn(bo));
    await db.memberships.delete(roomId, bo.id);
    await recheck.run();
    await db.memberships.insert({ roomId, userId: bo.id, role: 'member', joinedAt: iso(), ackSeq: 0 });
    await recheck.run();
    await recheck.run();
    expect(boSocket.connection.roomIds()).toContain(roomId);
  });
});
