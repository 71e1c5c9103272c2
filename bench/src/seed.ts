/**
 * Seeds a migrated Parley database directly (better-sqlite3 against the server's schema, with
 * the server stopped): accounts with live sessions for the socket workloads, and a room of
 * many events for history and catch-up. Far faster than the API, whose argon2 hashing takes
 * ~50–100 ms per account by design. Rows match what the server itself writes.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface SeedPlan {
  /** One account per fan-out member, each a member of `general`. */
  fanOutUsers: number;
  /** Accounts for the idle-socket workload, each alone in its own private room. */
  idleUsers: number;
  /** Events (message.created) in the history room. */
  historyEvents: number;
  /** Username of the account registered through the API, made owner of the ingest room. */
  adminUsername: string;
}

export interface SeedResult {
  generalRoomId: string;
  ingestRoomId: string;
  historyRoomId: string;
  historyLastSeq: number;
  fanOutTokens: string[];
  idleTokens: string[];
  readerToken: string;
  seconds: number;
}

const token = () => randomBytes(32).toString('base64url');
const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
/** Opaque, time-ordered ids (the server uses UUIDv7; any unique string works). */
const idOf = (kind: string, n: number) => `bench-${kind}-${String(n).padStart(10, '0')}`;

const WORDS = [
  'ship',
  'it',
  'the',
  'build',
  'is',
  'green',
  'again',
  'lunch',
  'review',
  'please',
  'done',
  'ok',
];

export function seed(dataDir: string, plan: SeedPlan): SeedResult {
  const started = performance.now();
  const db = new Database(path.join(dataDir, 'parley.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();

  const general = db.prepare("SELECT id FROM rooms WHERE slug = 'general'").get() as { id: string };
  const admin = db.prepare('SELECT id FROM users WHERE username = ?').get(plan.adminUsername) as {
    id: string;
  };
  const insertUser = db.prepare(
    `INSERT INTO users (id, username, display_name, role, password_hash, deactivated_at, created_at)
     VALUES (?, ?, ?, 'member', 'seeded: no password', NULL, ?)`,
  );
  const insertSession = db.prepare(
    `INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, revoked_at)
     VALUES (?, ?, ?, ?, ?, NULL)`,
  );
  const insertRoom = db.prepare(
    `INSERT INTO rooms (id, slug, name, topic, visibility, last_seq, created_at, dm_key)
     VALUES (?, ?, ?, '', ?, ?, ?, NULL)`,
  );
  const insertMember = db.prepare(
    `INSERT INTO memberships (room_id, user_id, role, joined_at, ack_seq) VALUES (?, ?, ?, ?, 0)`,
  );
  let userNo = 0;
  const account = (prefix: string): { id: string; token: string; username: string } => {
    const n = ++userNo;
    const id = idOf('user', n);
    const username = `${prefix}${n}`;
    const secret = token();
    insertUser.run(id, username, username, now);
    insertSession.run(idOf('session', n), id, sha256(secret), now, expires);
    return { id, token: secret, username };
  };

  const result = db.transaction(() => {
    const fanOutTokens: string[] = [];
    for (let i = 0; i < plan.fanOutUsers; i++) {
      const user = account('fan');
      insertMember.run(general.id, user.id, 'member', now);
      fanOutTokens.push(user.token);
    }
    const idleTokens: string[] = [];
    for (let i = 0; i < plan.idleUsers; i++) {
      const user = account('idle');
      const roomId = idOf('room', userNo);
      insertRoom.run(roomId, `idle-${userNo}`, `idle ${userNo}`, 'private', 0, now);
      insertMember.run(roomId, user.id, 'owner', now);
      idleTokens.push(user.token);
    }
    const ingestRoomId = idOf('room-ingest', 0);
    insertRoom.run(ingestRoomId, 'bench-ingest', 'bench ingest', 'private', 0, now);
    insertMember.run(ingestRoomId, admin.id, 'owner', now);

    const reader = account('reader');
    const historyRoomId = idOf('room-history', 0);
    insertRoom.run(historyRoomId, 'bench-history', 'bench history', 'public', plan.historyEvents, now);
    insertMember.run(historyRoomId, reader.id, 'owner', now);
    return { fanOutTokens, idleTokens, ingestRoomId, historyRoomId, reader };
  })();

  seedHistory(db, result.historyRoomId, result.reader, plan.historyEvents);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  flushToDisk(path.join(dataDir, 'parley.db'));
  return {
    generalRoomId: general.id,
    ingestRoomId: result.ingestRoomId,
    historyRoomId: result.historyRoomId,
    historyLastSeq: plan.historyEvents,
    fanOutTokens: result.fanOutTokens,
    idleTokens: result.idleTokens,
    readerToken: result.reader.token,
    seconds: (performance.now() - started) / 1000,
  };
}

/** `count` message.created events (and their messages), in batches of one transaction each. */
function seedHistory(
  db: Database.Database,
  roomId: string,
  author: { id: string; username: string },
  count: number,
): void {
  const insertEvent = db.prepare(
    `INSERT INTO events (room_id, seq, type, actor_id, body, at, message_id)
     VALUES (?, ?, 'message.created', ?, ?, ?, ?)`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO messages (id, room_id, seq, author_id, text, reply_to, file_id, created_at, edited_at, deleted_at, view)
     VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, ?)`,
  );
  const actor = { id: author.id, username: author.username, displayName: author.username };
  const startMs = Date.now() - count * 1000;
  const batch = db.transaction((from: number, to: number) => {
    for (let seq = from; seq <= to; seq++) {
      const id = idOf('msg', seq);
      const at = new Date(startMs + seq * 1000).toISOString();
      const text = `message ${seq}: ${WORDS[seq % WORDS.length]} ${WORDS[(seq * 7) % WORDS.length]} ${WORDS[(seq * 13) % WORDS.length]}`;
      const message = { id, roomId, seq, author: actor, text, createdAt: at };
      const event = { roomId, seq, type: 'message.created', at, actor, data: { message } };
      insertMessage.run(id, roomId, seq, author.id, text, at, JSON.stringify(message));
      insertEvent.run(roomId, seq, author.id, JSON.stringify(event), at, id);
    }
  });
  const size = 50_000;
  for (let from = 1; from <= count; from += size) batch(from, Math.min(count, from + size - 1));
}

/**
 * Seeding writes without syncing (hundreds of MB for a million events). Left to the kernel,
 * that data is written back during the first workloads and every commit's fsync then waits
 * behind it, which measured the setup instead of the server. So it is flushed here, and the
 * rest of the machine's dirty data with it (`sync`, where there is one).
 */
function flushToDisk(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    execFileSync('sync', { stdio: 'ignore' });
  } catch {
    // No `sync` command: the database file itself is on disk, which is what matters most.
  }
}
