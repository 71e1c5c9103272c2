/**
 * `npm run backup` and `npm run restore`, run as an operator would (child processes of npm at
 * the repository's root, configured by the server's environment) while people keep sending
 * messages and files; then a second server on the restored DATA_DIR.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Job, Message, Room } from '@parley/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Account,
  api,
  expectStatus,
  generalRoom,
  messagesPage,
  register,
  uniqueName,
  waitForCompletion,
} from '../support/client.js';
import { sleep, startServer, type TestServer } from '../support/server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Every server of this file: sends are not rate limited, the test sends as fast as it can. */
const SERVER_ENV = { RATE_LIMIT_SENDS_PER_MINUTE: '0' };
const onPostgres = process.env.PARLEY_TEST_DATABASE === 'postgres';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-backup-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run <script> -- <args>` at the repository's root, as an operator types it. */
function npmRun(script: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Sent {
  job: Job;
  account: Account;
  text: string;
  /** The file's bytes, for a file message. */
  bytes?: Buffer;
}

/**
 * Sends messages and files as `account` until `stop()`; every send that got its 202 is recorded
 * in `accepted`, in the order the answers arrived.
 */
function keepSending(account: Account, roomId: string, accepted: Sent[]) {
  let stopped = false;
  const loop = (async () => {
    for (let index = 0; !stopped; index++) {
      const text = `${account.username} #${index}`;
      if (index % 3 === 2) {
        const bytes = Buffer.concat([Buffer.from(`${text}\n`), randomBytes(2_000 + index * 37)]);
        const response = await account.api.post<{ job: Job }>('/jobs', {
          type: 'file',
          roomId,
          fileName: `file-${index}.bin`,
          contentType: 'application/octet-stream',
          data: bytes.toString('base64'),
          caption: text,
        });
        accepted.push({
          job: expectStatus(response, 202, 'POST /jobs (file)').body.job,
          account,
          text,
          bytes,
        });
      } else {
        const response = await account.api.post<{ job: Job }>('/jobs', { type: 'message', roomId, text });
        accepted.push({ job: expectStatus(response, 202, 'POST /jobs').body.job, account, text });
      }
    }
  })();
  loop.catch(() => undefined); // seen by stop(); not an unhandled rejection meanwhile
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** Every message of a room, oldest first. */
async function allMessages(account: Account, roomId: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const page = await messagesPage(account, roomId, `?after=${messages.at(-1)?.seq ?? 0}&limit=100`);
    messages.push(...page.messages);
    if (!page.hasMore) return messages;
  }
}

/** The same person, signed in to another server (the restored database has their session). */
const on = (server: TestServer, account: Account): Account => ({
  ...account,
  api: api(server, account.token),
});

describe.skipIf(onPostgres)('backup and restore of the embedded store', () => {
  let first: TestServer | undefined;
  let second: TestServer | undefined;
  afterAll(async () => {
    await first?.dispose();
    await second?.dispose();
  });

  it('restores every message and file accepted before the backup began, each exactly once', async () => {
    first = await startServer({ env: SERVER_ENV });
    const alice = await register(first, uniqueName('alice'));
    const bob = await register(first, uniqueName('bob'));
    const general: Room = await generalRoom(alice);
    const accepted: Sent[] = [];
    const senders = [keepSending(alice, general.id, accepted), keepSending(bob, general.id, accepted)];
    try {
      const deadline = Date.now() + 20_000;
      while (accepted.filter((sent) => sent.bytes).length < 6 && Date.now() < deadline) await sleep(50);
      // What was answered 202 before the backup began is what the backup must hold.
      const beforeBackup = accepted.slice();
      const backup = await npmRun('backup', [], { ...SERVER_ENV, DATA_DIR: first.dataDir });
      expect(backup.code, `${backup.stdout}\n${backup.stderr}`).toBe(0);
      expect(accepted.length, 'messages kept coming while the backup ran').toBeGreaterThan(
        beforeBackup.length,
      );
      await sleep(300);
      await Promise.all(senders.map((sender) => sender.stop()));

      // The default place: DATA_DIR/backups/<time>, with its manifest.
      const [name, ...others] = fs.readdirSync(path.join(first.dataDir, 'backups'));
      expect(others).toEqual([]);
      const backupDir = path.join(first.dataDir, 'backups', name as string);
      const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({
        format: 'parley-backup',
        database: { file: 'parley.db', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        blobs: { missing: [] },
      });
      expect(manifest.blobs.files).toBeGreaterThanOrEqual(beforeBackup.filter((sent) => sent.bytes).length);
      expect(fs.readdirSync(backupDir).sort()).toEqual(['blobs', 'manifest.json', 'parley.db']);

      // Into a DATA_DIR that does not exist yet.
      const restoredDir = path.join(scratch, 'restored');
      const restore = await npmRun('restore', [backupDir], { DATA_DIR: restoredDir });
      expect(restore.code, `${restore.stdout}\n${restore.stderr}`).toBe(0);

      // Never over a database, and with --force never under the server that holds it.
      const over = await npmRun('restore', [backupDir], { DATA_DIR: first.dataDir });
      expect(over.code).toBe(1);
      expect(over.stderr).toContain('already holds a database');
      const forced = await npmRun('restore', [backupDir, '--force'], { DATA_DIR: first.dataDir });
      expect(forced.code).toBe(1);
      expect(forced.stderr).toContain('A running server holds');
      await first.stop();

      second = await startServer({ dataDir: restoredDir, env: SERVER_ENV });
      const server = second;
      const restored = await allMessages(on(server, alice), general.id);
      const texts = restored.map((message) => message.text);
      expect(new Set(texts).size, 'no message is in the restored room twice').toBe(texts.length);
      for (const sent of beforeBackup) {
        const done = await waitForCompletion(on(server, sent.account), sent.job.id, 30_000);
        const matching = restored.filter((message) => message.text === sent.text);
        expect(matching.map((message) => message.id)).toEqual([done.result.messageId]);
        if (!sent.bytes) continue;
        const attachment = matching[0]?.attachment;
        expect(attachment, `${sent.text} has its file`).toBeDefined();
        const response = await fetch(new URL(attachment?.url ?? '', server.httpUrl), {
          headers: { authorization: `Bearer ${bob.token}` },
          signal: AbortSignal.timeout(10_000),
        });
        expect(response.status).toBe(200);
        expect(Buffer.from(await response.arrayBuffer()).equals(sent.bytes)).toBe(true);
      }
    } finally {
      await Promise.all(senders.map((sender) => sender.stop()));
    }
  }, 180_000);

  it('refuses a copy whose database does not match the manifest, and restores nothing', async () => {
    const server = await startServer({ env: SERVER_ENV });
    try {
      await register(server, uniqueName('carol'));
      const backupDir = path.join(scratch, 'to-damage');
      const backup = await npmRun('backup', [backupDir], { DATA_DIR: server.dataDir });
      expect(backup.code, backup.stderr).toBe(0);
      const database = path.join(backupDir, 'parley.db');
      const bytes = fs.readFileSync(database);
      bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
      fs.writeFileSync(database, bytes);

      const target = path.join(scratch, 'not-restored');
      const restore = await npmRun('restore', [backupDir], { DATA_DIR: target });
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain("does not match the manifest's checksum");
      expect(fs.existsSync(path.join(target, 'parley.db'))).toBe(false);
    } finally {
      await server.dispose();
    }
  }, 60_000);
});

describe('backup of the scaled-out stack', () => {
  it('refuses, pointing to the PostgreSQL and S3 backups of docs/deploy.md', async () => {
    const run = await npmRun('backup', [], {
      DATA_DIR: path.join(scratch, 'scaled-out'),
      DATABASE_URL: 'postgres://parley@db.invalid/parley',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DATABASE_URL is set/);
    expect(run.stderr).toMatch(/pg_dump/);
    expect(run.stderr).toContain('docs/deploy.md');
    expect(fs.existsSync(path.join(scratch, 'scaled-out'))).toBe(false);
  });
});
