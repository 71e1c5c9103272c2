/**
 * Databases for the growth workloads, seeded straight through the server's schema and kept
 * between runs: a room log of 10 million events takes minutes to write, and every rerun of the
 * bench would otherwise pay for it again. Each fixture is a DATA_DIR under the cache folder
 * (BENCH_GROWTH_CACHE, default <tmp>/parley-growth-cache), keyed by the list of migrations, so a
 * new migration makes new fixtures instead of serving a stale schema. Never in git.
 *
 * The server migrates an empty DATA_DIR first (so the schema, the search index's triggers
 * included, is exactly the server's); then it is stopped and the rows are written with
 * multi-row inserts in one transaction, with the journal off: a half-written fixture is thrown
 * away (it is written under `<name>.partial` and renamed once complete), so nothing needs it.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { round } from '../histogram.js';
import { repoRoot } from '../processes.js';
import { startParley } from '../servers.js';

export const growthCacheRoot = () =>
  process.env.BENCH_GROWTH_CACHE ?? path.join(os.tmpdir(), 'parley-growth-cache');

/** Changes whenever a migration is added or renamed: fixtures of an older schema are not reused. */
function schemaKey(): string {
  const dir = path.join(repoRoot, 'backend/src/storage/sql/migrations');
  const names = fs.readdirSync(dir).sort().join('\n');
  return createHash('sha256').update(names).digest('hex').slice(0, 12);
}

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const token = () => randomBytes(32).toString('base64url');
/** Sessions of a fixture outlive many reruns (the server's own last 30 days). */
const farFuture = () => new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString();

/**
 * A cached fixture: `build` seeds `<dir>/parley.db` (already migrated) and answers what the
 * workload needs to know about it (ids, tokens), which is saved beside it as fixture.json.
 */
async function cachedFixture<T extends object>(
  name: string,
  build: (file: string) => T,
  log: (line: string) => void,
): Promise<T & { dataDir: string; seedSeconds: number; cached: boolean }> {
  const dataDir = path.join(growthCacheRoot(), schemaKey(), name);
  const manifest = path.join(dataDir, 'fixture.json');
  if (fs.existsSync(manifest)) {
    const saved = JSON.parse(fs.readFileSync(manifest, 'utf8')) as T & { seedSeconds: number };
    return { ...saved, dataDir, cached: true };
  }
  const partial = `${dataDir}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  const server = await startParley(partial); // migrates the empty database
  await server.stop();
  const started = performance.now();
  const facts = build(path.join(partial, 'parley.db'));
  const seedSeconds = round((performance.now() - started) / 1000, 1);
  fs.writeFileSync(path.join(partial, 'fixture.json'), JSON.stringify({ ...facts, seedSeconds }));
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.renameSync(partial, dataDir);
  log(`  seeded fixture ${name} in ${seedSeconds} s (cached in ${dataDir})`);
  return { ...facts, seedSeconds, dataDir, cached: false };
}

/** Opens a freshly migrated database for bulk writing: no journal, no syncing, a big cache. */
function openForSeeding(file: string): Database.Database {
  const db = new Database(file);
  // The server left it in WAL, which SQLite only leaves for a rollback journal: DELETE first.
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('cache_size = -262144'); // 256 MiB
  return db;
}

/** Back to what the server expects (WAL), with everything written into the main file. */
function closeAfterSeeding(db: Database.Database): void {
  db.pragma('locking_mode = NORMAL');
  db.pragma('journal_mode = WAL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** `count` rows at a time through one prepared multi-row INSERT (and one for the remainder). */
function multiRowInsert(
  db: Database.Database,
  head: string,
  row: string,
  rows: number,
): (values: unknown[], count: number) => void {
  const statement = (count: number) => db.prepare(`${head} VALUES ${Array(count).fill(row).join(', ')}`);
  const full = statement(rows);
  return (values, count) => (count === rows ? full : statement(count)).run(values);
}

const insertUserSql = `INSERT INTO users (id, username, display_name, role, password_hash, deactivated_at, created_at)`;
const insertSessionSql = `INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, revoked_at)`;

export interface HistoryFixture {
  roomId: string;
  lastSeq: number;
  readerToken: string;
  /** The database file (pages) over the number of messages, the search index included. */
  bytesPerMessage: number;
  databaseBytes: number;
}

const WORDS = 'ship it the build is green again lunch review please done ok'.split(' ');

/** A public room of `events` message.created events (and their messages), and its one member. */
export function historyFixture(events: number, log: (line: string) => void) {
  return cachedFixture<HistoryFixture>(
    `history-${events}`,
    (file) => {
      const db = openForSeeding(file);
      const now = new Date().toISOString();
      const roomId = 'bench-growth-room-history';
      const reader = { id: 'bench-growth-reader', username: 'growth-reader', displayName: 'growth-reader' };
      const secret = token();
      db.transaction(() => {
        db.prepare(`${insertUserSql} VALUES (?, ?, ?, 'member', 'seeded: no password', NULL, ?)`).run(
          reader.id,
          reader.username,
          reader.displayName,
          now,
        );
        db.prepare(`${insertSessionSql} VALUES ('bench-growth-reader-session', ?, ?, ?, ?, NULL)`).run(
          reader.id,
          sha256(secret),
          now,
          farFuture(),
        );
        db.prepare(
          `INSERT INTO rooms (id, slug, name, topic, visibility, last_seq, created_at, dm_key)
           VALUES (?, 'growth-history', 'growth history', '', 'public', ?, ?, NULL)`,
        ).run(roomId, events, now);
        db.prepare(
          `INSERT INTO memberships (room_id, user_id, role, joined_at, ack_seq) VALUES (?, ?, 'owner', ?, 0)`,
        ).run(roomId, reader.id, now);

        const perStatement = 400;
        const insertMessages = multiRowInsert(
          db,
          `INSERT INTO messages (id, room_id, seq, author_id, text, created_at, view)`,
          '(?, ?, ?, ?, ?, ?, ?)',
          perStatement,
        );
        const insertEvents = multiRowInsert(
          db,
          `INSERT INTO events (room_id, seq, type, actor_id, body, at, message_id)`,
          `(?, ?, 'message.created', ?, ?, ?, ?)`,
          perStatement,
        );
        const startMs = Date.now() - events * 1000;
        const messageValues: unknown[] = [];
        const eventValues: unknown[] = [];
        let inBatch = 0;
        const flush = () => {
          insertMessages(messageValues, inBatch);
          insertEvents(eventValues, inBatch);
          messageValues.length = 0;
          eventValues.length = 0;
          inBatch = 0;
        };
        for (let seq = 1; seq <= events; seq++) {
          // Time-ordered ids, as the server's UUIDv7 are.
          const id = `bench-growth-msg-${String(seq).padStart(10, '0')}`;
          const at = new Date(startMs + seq * 1000).toISOString();
          const text = `message ${seq}: ${WORDS[seq % WORDS.length]} ${WORDS[(seq * 7) % WORDS.length]} ${WORDS[(seq * 13) % WORDS.length]}`;
          const message = { id, roomId, seq, author: reader, text, createdAt: at };
          const event = { roomId, seq, type: 'message.created', at, actor: reader, data: { message } };
          messageValues.push(id, roomId, seq, reader.id, text, at, JSON.stringify(message));
          eventValues.push(roomId, seq, reader.id, JSON.stringify(event), at, id);
          if (++inBatch === perStatement) flush();
          if (seq % 1_000_000 === 0) log(`  history fixture: ${seq.toLocaleString('en-US')} events`);
        }
        if (inBatch > 0) flush();
      })();
      const pages = db.pragma('page_count', { simple: true }) as number;
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      closeAfterSeeding(db);
      const databaseBytes = pages * pageSize;
      return {
        roomId,
        lastSeq: events,
        readerToken: secret,
        databaseBytes,
        bytesPerMessage: round(databaseBytes / Math.max(1, events), 1),
      };
    },
    log,
  );
}

export interface MembersFixture {
  /** Room per size: the first `size` users are its members. */
  rooms: { size: number; roomId: string }[];
  /** One token per user, in order: user i is in every room of size > i. */
  tokens: string[];
}

/** One room per size in `sizes`, the members of the smaller rooms also in the bigger ones. */
export function membersFixture(sizes: number[], log: (line: string) => void) {
  const sorted = [...sizes].sort((a, b) => a - b);
  return cachedFixture<MembersFixture>(
    `members-${sorted.join('-')}`,
    (file) => {
      const db = openForSeeding(file);
      const now = new Date().toISOString();
      const expires = farFuture();
      const users = Math.max(...sorted);
      const tokens: string[] = [];
      const rooms = sorted.map((size) => ({ size, roomId: `bench-growth-room-members-${size}` }));
      db.transaction(() => {
        const insertUser = db.prepare(
          `${insertUserSql} VALUES (?, ?, ?, 'member', 'seeded: no password', NULL, ?)`,
        );
        const insertSession = db.prepare(`${insertSessionSql} VALUES (?, ?, ?, ?, ?, NULL)`);
        const insertMember = db.prepare(
          `INSERT INTO memberships (room_id, user_id, role, joined_at, ack_seq) VALUES (?, ?, ?, ?, 0)`,
        );
        for (const room of rooms) {
          db.prepare(
            `INSERT INTO rooms (id, slug, name, topic, visibility, last_seq, created_at, dm_key)
             VALUES (?, ?, ?, '', 'private', 0, ?, NULL)`,
          ).run(room.roomId, `growth-members-${room.size}`, `members ${room.size}`, now);
        }
        for (let i = 0; i < users; i++) {
          const id = `bench-growth-member-${String(i).padStart(6, '0')}`;
          const secret = token();
          insertUser.run(id, `member${i}`, `member ${i}`, now);
          insertSession.run(`${id}-session`, id, sha256(secret), now, expires);
          tokens.push(secret);
          for (const room of rooms) {
            if (i < room.size) insertMember.run(room.roomId, id, i === 0 ? 'owner' : 'member', now);
          }
        }
      })();
      closeAfterSeeding(db);
      return { rooms, tokens };
    },
    log,
  );
}

export interface RoomsPerUserFixture {
  /** Per count of rooms: the tokens of users who are each in that many rooms. */
  groups: { rooms: number; tokens: string[] }[];
}

/**
 * `usersPerGroup` users for each count in `roomCounts`, each a member of the first `count` of
 * max(roomCounts) rooms; every room has a few events, so `ready` carries real `lastSeq`s.
 */
export function roomsPerUserFixture(
  roomCounts: number[],
  usersPerGroup: number,
  log: (line: string) => void,
) {
  const sorted = [...roomCounts].sort((a, b) => a - b);
  return cachedFixture<RoomsPerUserFixture>(
    `rooms-${sorted.join('-')}-x${usersPerGroup}`,
    (file) => {
      const db = openForSeeding(file);
      const now = new Date().toISOString();
      const expires = farFuture();
      const roomCount = Math.max(...sorted);
      const roomIds = Array.from(
        { length: roomCount },
        (_, i) => `bench-growth-room-${String(i).padStart(5, '0')}`,
      );
      const groups = sorted.map((rooms) => ({ rooms, tokens: [] as string[] }));
      db.transaction(() => {
        const insertRoom = db.prepare(
          `INSERT INTO rooms (id, slug, name, topic, visibility, last_seq, created_at, dm_key)
           VALUES (?, ?, ?, '', 'private', ?, ?, NULL)`,
        );
        for (const [i, roomId] of roomIds.entries()) {
          insertRoom.run(roomId, `growth-room-${i}`, `room ${i}`, 10 + (i % 50), now);
        }
        const insertUser = db.prepare(
          `${insertUserSql} VALUES (?, ?, ?, 'member', 'seeded: no password', NULL, ?)`,
        );
        const insertSession = db.prepare(`${insertSessionSql} VALUES (?, ?, ?, ?, ?, NULL)`);
        const insertMember = db.prepare(
          `INSERT INTO memberships (room_id, user_id, role, joined_at, ack_seq) VALUES (?, ?, 'member', ?, 0)`,
        );
        for (const group of groups) {
          for (let u = 0; u < usersPerGroup; u++) {
            const id = `bench-growth-in-${group.rooms}-${String(u).padStart(4, '0')}`;
            const secret = token();
            insertUser.run(id, `in${group.rooms}-${u}`, `in ${group.rooms} #${u}`, now);
            insertSession.run(`${id}-session`, id, sha256(secret), now, expires);
            for (const roomId of roomIds.slice(0, group.rooms)) insertMember.run(roomId, id, now);
            group.tokens.push(secret);
          }
        }
      })();
      closeAfterSeeding(db);
      return { groups };
    },
    log,
  );
}
