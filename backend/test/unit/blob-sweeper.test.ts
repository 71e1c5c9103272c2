/** The orphan sweeper on a real SQLite file and a real local blob store. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepOrphanBlobs } from '../../src/core/files/blob-sweeper.js';
import { newId } from '../../src/core/ids.js';
import type { Database } from '../../src/core/ports/database.js';
import type { JobRecord } from '../../src/core/ports/records.js';
import { LocalBlobStore } from '../../src/storage/local-disk/local-blob-store.js';
import { openSqlite } from '../../src/storage/sqlite/open-sqlite.js';

let dir: string;
let db: Database;
let blobs: LocalBlobStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sweeper-'));
  db = await openSqlite(dir);
  blobs = new LocalBlobStore(dir);
});
afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function aUser(): Promise<string> {
  const userId = newId();
  const now = new Date().toISOString();
  await db.users.insert({
    id: userId,
    username: `u${userId.slice(-8)}`,
    displayName: 'u',
    role: 'member',
    passwordHash: 'x',
    deactivatedAt: null,
    createdAt: now,
  });
  return userId;
}

async function fileJobNaming(blobKey: string): Promise<void> {
  const userId = await aUser();
  const now = new Date().toISOString();
  const job: JobRecord = {
    id: newId(),
    userId,
    roomId: 'r',
    type: 'file',
    status: 'queued',
    payload: { type: 'file', blobKey, fileName: 'a.txt', declaredContentType: 'text/plain', size: 2 },
    idempotencyKey: null,
    requestHash: null,
    attempts: 0,
    maxAttempts: 5,
    runAt: now,
    leaseUntil: null,
    errorCode: null,
    errorMessage: null,
    resultMessageId: null,
    resultSeq: null,
    createdAt: now,
    updatedAt: now,
  };
  expect((await db.jobs.insert(job)).inserted).toBe(true);
}

describe('sweepOrphanBlobs', () => {
  it('removes old blobs nothing names and keeps those a job still needs', async () => {
    await blobs.put('files/orphan', Buffer.from('lost upload'));
    await blobs.put('files/queued', Buffer.from('on its way'));
    await blobs.put('thumbnails/stray.webp', Buffer.from('preview of a failed attempt'));
    await fileJobNaming('files/queued');

    const removed = await sweepOrphanBlobs(db, blobs, 0);

    expect(removed.sort()).toEqual(['files/orphan', 'thumbnails/stray.webp']);
    expect(await blobs.head('files/orphan', 4)).toBeUndefined();
    expect(await blobs.head('files/queued', 4)).toBeDefined();
  });

  it("removes avatar images of versions that are not their user's current one", async () => {
    const userId = await aUser();
    await db.users.setAvatarVersion(userId, 'current');
    const stranger = newId();
    for (const key of [
      `avatars/${userId}/current-256.webp`,
      `avatars/${userId}/current-64.webp`,
      `avatars/${userId}/replaced-256.webp`,
      `avatars/${userId}/never-recorded-64.webp`,
      `avatars/${stranger}/of-a-stranger-256.webp`,
      `avatars/${userId}/notes.txt`,
    ]) {
      await blobs.put(key, Buffer.from('image'));
    }

    const removed = await sweepOrphanBlobs(db, blobs, 0);

    expect(removed.sort()).toEqual(
      [
        `avatars/${userId}/never-recorded-64.webp`,
        `avatars/${userId}/replaced-256.webp`,
        `avatars/${stranger}/of-a-stranger-256.webp`,
      ].sort(),
    );
    expect(await blobs.head(`avatars/${userId}/current-256.webp`, 4)).toBeDefined();
    expect(await blobs.head(`avatars/${userId}/current-64.webp`, 4)).toBeDefined();
    expect(await blobs.head(`avatars/${userId}/notes.txt`, 4)).toBeDefined();
  });

  it('leaves young blobs alone: an upload may not have its job yet', async () => {
    await blobs.put('files/just-uploaded', Buffer.from('fresh'));
    expect(await sweepOrphanBlobs(db, blobs, 3600_000)).toEqual([]);
    expect(await blobs.head('files/just-uploaded', 4)).toBeDefined();
  });
});
