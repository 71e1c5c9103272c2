/**
 * Seeds a running cluster's PostgreSQL directly: accounts with live sessions for the socket
 * workloads, rows written as the server writes them (see seed.ts for the SQLite twin).
 * Registering them through the API instead measured 6.3 accounts/s through the balancer on 2
 * cores (argon2id by design), i.e. ~9 minutes for 3,500 accounts, and every registered account
 * joins #general, so 2,500 idle users would each announce themselves to 50,000 sockets.
 *
 * The instances are running: what they cache is only confirmations of sessions and
 * memberships, so rows added under them are simply found on the first look.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type pg from 'pg';
import { repoRoot } from './processes.js';

export interface ClusterSeedPlan {
  /** One account per fan-out member, each a member of `general`. */
  fanOutUsers: number;
  /** Accounts for idle sockets, each alone in its own private room (no presence storm). */
  idleUsers: number;
}

export interface ClusterSeedResult {
  generalRoomId: string;
  fanOutTokens: string[];
  idleTokens: string[];
  seconds: number;
}

// `pg` is the server's dependency (backend/package.json), not the bench's: loaded from there.
const requireFromBackend = createRequire(path.join(repoRoot, 'backend/package.json'));

const token = () => randomBytes(32).toString('base64url');
const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const idOf = (kind: string, n: number) => `bench-${kind}-${String(n).padStart(10, '0')}`;

export async function seedPostgres(databaseUrl: string, plan: ClusterSeedPlan): Promise<ClusterSeedResult> {
  const started = performance.now();
  const { Client } = requireFromBackend('pg') as typeof pg;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const general = await client.query<{ id: string }>("SELECT id FROM rooms WHERE slug = 'general'");
    const generalRoomId = general.rows[0]?.id;
    if (!generalRoomId) throw new Error('no #general room: register the first account before seeding');
    const now = new Date().toISOString();
    const expires = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();

    const users = { id: [] as string[], username: [] as string[] };
    const sessions = { id: [] as string[], userId: [] as string[], hash: [] as string[] };
    const rooms = { id: [] as string[], slug: [] as string[] };
    const members = { roomId: [] as string[], userId: [] as string[], role: [] as string[] };
    const account = (prefix: string, n: number): { id: string; token: string } => {
      const id = idOf('user', n);
      const secret = token();
      users.id.push(id);
      users.username.push(`${prefix}${n}`);
      sessions.id.push(idOf('session', n));
      sessions.userId.push(id);
      sessions.hash.push(sha256(secret));
      return { id, token: secret };
    };
    let n = 0;
    const fanOutTokens: string[] = [];
    for (let i = 0; i < plan.fanOutUsers; i++) {
      const user = account('fan', ++n);
      members.roomId.push(generalRoomId);
      members.userId.push(user.id);
      members.role.push('member');
      fanOutTokens.push(user.token);
    }
    const idleTokens: string[] = [];
    for (let i = 0; i < plan.idleUsers; i++) {
      const user = account('idle', ++n);
      const roomId = idOf('room', n);
      rooms.id.push(roomId);
      rooms.slug.push(`idle-${n}`);
      members.roomId.push(roomId);
      members.userId.push(user.id);
      members.role.push('owner');
      idleTokens.push(user.token);
    }

    // One statement per table: arrays unnested server-side, thousands of rows per round trip.
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO users (id, username, display_name, role, password_hash, deactivated_at, created_at, share_read_receipts)
       SELECT id, username, username, 'member', 'seeded: no password', NULL, $3, 1
       FROM unnest($1::text[], $2::text[]) AS u(id, username)`,
      [users.id, users.username, now],
    );
    await client.query(
      `INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, revoked_at)
       SELECT id, user_id, token_hash, $4, $5, NULL
       FROM unnest($1::text[], $2::text[], $3::text[]) AS s(id, user_id, token_hash)`,
      [sessions.id, sessions.userId, sessions.hash, now, expires],
    );
    await client.query(
      `INSERT INTO rooms (id, slug, name, topic, visibility, last_seq, created_at, dm_key)
       SELECT id, slug, slug, '', 'private', 0, $3, NULL
       FROM unnest($1::text[], $2::text[]) AS r(id, slug)`,
      [rooms.id, rooms.slug, now],
    );
    await client.query(
      `INSERT INTO memberships (room_id, user_id, role, joined_at, ack_seq, delivered_seq)
       SELECT room_id, user_id, role, $4, 0, 0
       FROM unnest($1::text[], $2::text[], $3::text[]) AS m(room_id, user_id, role)`,
      [members.roomId, members.userId, members.role, now],
    );
    await client.query('COMMIT');
    return { generalRoomId, fanOutTokens, idleTokens, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}
