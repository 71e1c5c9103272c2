/**
 * Removes blobs nothing names any more: an upload whose job was never recorded (a crash between
 * the upload and the insert), a thumbnail of an attempt that failed, the bytes of a deleted
 * message when a crash came between the delete and the removal. Only blobs older than the grace
 * period are looked at, so an upload still on its way to its job is never touched.
 */
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/database.js';

const PREFIXES = ['files/', 'thumbnails/'];
const BATCH = 1000;

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
  return removed;
}
