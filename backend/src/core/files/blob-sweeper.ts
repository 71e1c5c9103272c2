/**
 * Removes blobs nothing names any more: an upload whose job was never recorded (a crash between
 * the upload and the insert), a thumbnail of an attempt that failed, the bytes of a deleted
 * message when a crash came between the delete and the removal, an avatar's images when a
 * crash came before its version was recorded or before the replaced ones were deleted. Only
 * blobs older than the grace period are looked at, so an upload still on its way to its job (or
 * an avatar to its user) is never touched.
 */
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/database.js';

const PREFIXES = ['files/', 'thumbnails/'];
const AVATARS = 'avatars/';
const BATCH = 1000;

/** `avatars/<userId>/<version>-<edge>.webp` (profiles-service.ts `avatarKey`). */
const AVATAR_KEY = /^avatars\/([^/]+)\/([^/]+)-\d+\.webp$/;

export async function sweepOrphanBlobs(db: Database, blobs: BlobStore, graceMs: number): Promise<string[]> {
  const before = new Date(Date.now() - graceMs);
  const removed: string[] = [];
  for (const prefix of PREFIXES) {
    for (const key of await blobs.listOlderThan(prefix, before, BATCH)) {
      if (await db.files.isBlobInUse(key)) continue;
      await blobs.delete(key);
      removed.push(key);
    }
  }
  const currentVersions = new Map<string, string | null>();
  for (const key of await blobs.listOlderThan(AVATARS, before, BATCH)) {
    const [, userId, version] = AVATAR_KEY.exec(key) ?? [];
    // A key of another shape is not ours to judge.
    if (!userId || !version) continue;
    if (!currentVersions.has(userId)) {
      currentVersions.set(userId, (await db.users.findById(userId))?.avatarVersion ?? null);
    }
    if (currentVersions.get(userId) === version) continue;
    await blobs.delete(key);
    removed.push(key);
  }
  return removed;
}
