/**
 * Search over a big room log (`--only=search`, opt-in: seeding a million messages takes
 * minutes): a fresh DATA_DIR is migrated by the server, then seeded straight through the
 * schema (messages and their events, in large transactions, the migration's triggers filling
 * the trigram index as the server's own writes do), then `GET /search` is timed for a word, a
 * substring, a filtered query and a rare term, each repeated, one request at a time. Also
 * reported: the database's bytes per message with the index, and without it (the index
 * dropped and the file vacuumed, at the end).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Histogram, type LatencySummary, round } from '../histogram.js';
import { registerAdmin } from '../register.js';
import { startParley } from '../servers.js';

export interface SearchBenchOptions {
  messages: number;
  rooms: number;
  runs: number;
}

export interface SearchQueryResult extends LatencySummary {
  name: string;
  query: string;
  /** Results on the first page (at most 20). */
  found: number;
}

export interface SearchResult {
  messages: number;
  seedSeconds: number;
  bytesPerMessage: number;
  bytesPerMessageWithoutIndex: number;
  queries: SearchQueryResult[];
}

const VOCABULARY = (
  'deploy release build test green red ship review merge branch commit rollback staging prod ' +
  'lunch coffee meeting standup retro sprint ticket bug fix patch hotfix crash latency cache ' +
  'database index query backup restore migrate schema server client socket queue worker job ' +
  'design mockup pixel colour font layout mobile desktop browser chrome firefox safari linux ' +
  'thanks please sorry great nice agreed done later tomorrow today yesterday friday weekend'
).split(' ');

/** A small deterministic generator, so every run seeds the same texts. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function textOf(n: number, random: () => number): string {
  const words: string[] = [];
  const count = 5 + Math.floor(random() * 10);
  for (let i = 0; i < count; i++) words.push(VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? 'ok');
  const extra = random();
  if (extra < 0.05) words.push(`https://example.com/docs/page-${n % 5000}`);
  else if (extra < 0.1) words.push(`v${n % 7}.${n % 13}.${n % 101}`);
  else if (extra < 0.13) words.push(`\`fn_${n % 997}(x)\``);
  return words.join(' ');
}

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** The database's size in bytes (its pages), with the WAL checkpointed into it. */
function databaseBytes(db: Database.Database): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = db.pragma('page_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return pages * size;
}

export function seedMessages(
  file: string,
  options: SearchBenchOptions,
  log: (line: string) => void,
): { token: string; username: string } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = new Date().toISOString();
  const startMs = Date.now() - options.messages * 1000;
  const random = generator(13);
  const secret = randomBytes(32).toString('base64url');
  const authors = ['ann', 'bob', 'cid', 'dee'].map((name) => ({
    id: `bench-search-user-${name}`,
    username: `search-${name}`,
    displayName: name,
  }));
  const reader = authors[0];
  if (!reader) throw new Error('no authors');
  const rooms = Array.from({ length: options.rooms }, (_, i) => ({
    id: `bench-search-room-${String(i).padStart(3, '0')}`,
    slug: `search-${i}`,
  }));
  db.transaction(() => {
    for (const author of authors) {
      db.prepare(
        `INSERT INTO users (id, username, display_name, role, password_hash, deactivated_at, created_at)
         VALUES (?, ?, ?, 'member', 'seeded: no password', NULL, ?)`,
      ).run(author.id, author.username, author.displayName, now);
    }
    db.prepare(
      `INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, revoked_at)
       VALUES ('bench-search-session', ?, ?, ?, ?, NULL)`,
    ).run(reader.id, sha256(secret), now, new Date(Date.now() + 86_400_000).toISOString());
    const perRoom = Math.ceil(options.messages / options.rooms);
    for (const room of rooms) {
      db.prepare(
        `INSERT INTO rooms (id, slug, name, topic, visibility, last_seq, created_at, dm_key)
         VALUES (?, ?, ?, '', 'private', ?, ?, NULL)`,
      ).run(room.id, room.slug, room.slug, perRoom, now);
      // The reader is in all rooms but the last: its messages must cost nothing and never show.
      const members = room === rooms.at(-1) ? authors.slice(1) : authors;
      for (const member of members) {
        db.prepare(
          `INSERT INTO memberships (room_id, user_id, role, joined_at, ack_seq) VALUES (?, ?, 'member', ?, 0)`,
        ).run(room.id, member.id, now);
      }
    }
  })();

  const insertMessage = db.prepare(
    `INSERT INTO messages (id, room_id, seq, author_id, text, reply_to, file_id, created_at, edited_at, deleted_at, view)
     VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, ?)`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO events (room_id, seq, type, actor_id, body, at, message_id)
     VALUES (?, ?, 'message.created', ?, ?, ?, ?)`,
  );
  const seqs = new Map<string, number>();
  const batch = db.transaction((from: number, to: number) => {
    for (let n = from; n <= to; n++) {
      const room = rooms[n % rooms.length];
      // Authors rotate independently of rooms, so `in:` and `from:` together still match some.
      const author = authors[Math.floor(n / rooms.length) % authors.length];
      if (!room || !author) continue;
      const seq = (seqs.get(room.id) ?? 0) + 1;
      seqs.set(room.id, seq);
      // Time-ordered ids, as the server's UUIDv7 are.
      const id = `bench-search-msg-${String(n).padStart(10, '0')}`;
      const at = new Date(startMs + n * 1000).toISOString();
      const text = textOf(n, random);
      const message = { id, roomId: room.id, seq, author, text, createdAt: at };
      const event = { roomId: room.id, seq, type: 'message.created', at, actor: author, data: { message } };
      insertMessage.run(id, room.id, seq, author.id, text, at, JSON.stringify(message));
      insertEvent.run(room.id, seq, author.id, JSON.stringify(event), at, id);
    }
  });
  const size = 50_000;
  for (let from = 1; from <= options.messages; from += size) {
    batch(from, Math.min(options.messages, from + size - 1));
    if ((from - 1) % 200_000 === 0 && from > 1) log(`  search: seeded ${from - 1} messages`);
  }
  for (const [roomId, seq] of seqs) db.prepare('UPDATE rooms SET last_seq = ? WHERE id = ?').run(seq, roomId);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { token: secret, username: reader.username };
}

async function timeQuery(
  origin: string,
  token: string,
  name: string,
  query: string,
  runs: number,
): Promise<SearchQueryResult> {
  const histogram = new Histogram();
  let found = 0;
  const url = `${origin}/search?q=${encodeURIComponent(query)}&limit=20`;
  // Two untimed runs warm the page cache and the server's statement cache.
  for (let i = -2; i < runs; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { results?: unknown[] };
    const elapsedUs = (performance.now() - started) * 1000;
    if (response.status !== 200) throw new Error(`GET /search ${query} answered ${response.status}`);
    found = body.results?.length ?? 0;
    if (i >= 0) histogram.record(elapsedUs);
  }
  return { name, query, found, ...histogram.summary() };
}

export async function searchBench(
  options: SearchBenchOptions,
  log: (line: string) => void,
): Promise<SearchResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-search-'));
  const file = path.join(dataDir, 'parley.db');
  try {
    // The server migrates the schema (013 included); then it is stopped and the log seeded.
    const first = await startParley(dataDir);
    try {
      await registerAdmin(first.origin);
    } finally {
      await first.stop();
    }
    const started = performance.now();
    const reader = seedMessages(file, options, log);
    const seedSeconds = (performance.now() - started) / 1000;
    log(`  search: seeded ${options.messages} messages in ${round(seedSeconds, 1)} s`);

    const queries: SearchQueryResult[] = [];
    const server = await startParley(dataDir);
    try {
      const cases: [string, string][] = [
        ['word', 'rollback'],
        ['substring', 'ackup'],
        ['two words', 'deploy friday'],
        ['filtered', 'deploy in:search-3 from:search-bob'],
        ['rare', 'v3.5.42'],
        ['link part', 'example.com/docs/page-4321'],
      ];
      for (const [name, query] of cases) {
        const result = await timeQuery(server.origin, reader.token, name, query, options.runs);
        log(
          `  search ${name} "${query}": p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (${result.found} on page 1)`,
        );
        queries.push(result);
      }
    } finally {
      await server.stop();
    }

    // Both sizes of a vacuumed file, so that only the index differs.
    const db = new Database(file);
    db.exec('VACUUM');
    const withIndex = databaseBytes(db);
    db.exec('DROP TABLE message_search');
    db.exec('VACUUM');
    const withoutIndex = databaseBytes(db);
    db.close();
    return {
      messages: options.messages,
      seedSeconds: round(seedSeconds, 1),
      bytesPerMessage: round(withIndex / options.messages, 1),
      bytesPerMessageWithoutIndex: round(withoutIndex / options.messages, 1),
      queries,
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
