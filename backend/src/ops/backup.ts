/**
 * `npm run backup`: a consistent copy of the embedded store (DATA_DIR/parley.db and
 * DATA_DIR/blobs) taken while the server runs, with a manifest that `npm run restore` checks.
 *
 * The scaled-out stack keeps its data in PostgreSQL and S3; those have their own tools
 * (docs/deploy.md, "Backups"), and this refuses to pretend it copied them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import type { Config } from '../config/config.js';

export const DATABASE_FILE = 'parley.db';
export const BLOBS_DIR = 'blobs';
export const MANIFEST_FILE = 'manifest.json';
/** Half-written uploads (local-blob-store.ts); never part of a backup. */
const BLOB_STAGING_DIR = '.tmp';
const BUSY_TIMEOUT_MS = 5_000;
/** Pages copied per backup step: all of them at once (see copyDatabase). */
const ALL_PAGES = 0x7fffffff;

export interface BackupManifest {
  format: 'parley-backup';
  formatVersion: 1;
  /** When the database copy was taken (ISO-8601). */
  createdAt: string;
  parleyVersion: string;
  database: { file: string; bytes: number; sha256: string };
  blobs: {
    files: number;
    bytes: number;
    /**
     * Blobs the copied database names that were no longer on disk when they were copied: the
     * message was deleted (or its failed job dropped) between the database copy and the blob copy.
     */
    missing: string[];
  };
}

export class OpsError extends Error {
  override readonly name = 'OpsError';
}

/** Refuses the scaled-out stack: its data is not in DATA_DIR. */
export function assertEmbedded(config: Config, what: 'back up' | 'restore'): void {
  const scaledOut = [config.databaseUrl && 'DATABASE_URL', config.s3 && 'S3_BUCKET'].filter(Boolean);
  if (scaledOut.length === 0) return;
  throw new OpsError(
    `This command can only ${what} the embedded store (SQLite and files in DATA_DIR), but ` +
      `${scaledOut.join(' and ')} ${scaledOut.length > 1 ? 'are' : 'is'} set: the data lives in ` +
      `${config.databaseUrl ? 'PostgreSQL' : 'SQLite'} and ${config.s3 ? 'S3' : 'DATA_DIR/blobs'}. ` +
      'Back up PostgreSQL with pg_dump (or WAL archiving) and the bucket with S3 versioning: see ' +
      'docs/deploy.md, section "Backups".',
  );
}

/** The version in the backend's package.json (the same path from src/ops and dist/ops). */
export function parleyVersion(): string {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/** `DATA_DIR/backups/2025-01-31T12-00-00.000Z`, or the same under `parent` (BACKUP_DIR). */
export function defaultBackupDir(config: Config, parent?: string, now = new Date()): string {
  return path.join(parent ?? path.join(config.dataDir, 'backups'), now.toISOString().replaceAll(':', '-'));
}

export async function takeBackup(config: Config, target: string): Promise<BackupManifest> {
  assertEmbedded(config, 'back up');
  const source = path.join(config.dataDir, DATABASE_FILE);
  if (!fs.existsSync(source)) throw new OpsError(`There is no database to back up at ${source}.`);
  await prepareEmptyDirectory(target);

  const createdAt = new Date().toISOString();
  const databaseCopy = path.join(target, DATABASE_FILE);
  await copyDatabase(source, databaseCopy);
  const database = { file: DATABASE_FILE, ...(await hashFile(databaseCopy)) };

  // Blobs are copied only now, AFTER the database copy. A blob is written whole (fsynced and
  // renamed into place) before the job that names it is committed, and it is never changed
  // afterwards (write-once, named by a fresh id). So every blob the copied database names
  // already existed, complete, when the copy was taken, and is still there to be copied now.
  // Copying the blobs first would miss the uploads committed while the database was copied.
  // Blobs that came later are copied too; the restored database names none of them, and the
  // orphan-blob sweep removes them after an hour. The one thing that can go missing is a blob
  // deleted in between (a message deleted, a failed job dropped by retention): its message was
  // being deleted anyway, and the manifest lists it (`blobs.missing`).
  const blobs = await copyBlobs(path.join(config.dataDir, BLOBS_DIR), path.join(target, BLOBS_DIR));
  const named = namedBlobs(databaseCopy);
  const missing = named.filter((key) => !fs.existsSync(path.join(target, BLOBS_DIR, key)));

  const manifest: BackupManifest = {
    format: 'parley-backup',
    formatVersion: 1,
    createdAt,
    parleyVersion: parleyVersion(),
    database,
    blobs: { ...blobs, missing },
  };
  // Written last: a directory without a manifest is an interrupted backup, and restore refuses it.
  await writeFileDurably(path.join(target, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * SQLite's online backup API, from a read-only connection of our own. A backup step reads the
 * source inside one read transaction, and in WAL mode a reader sees one committed state while
 * the server keeps writing (readers and the writer do not block each other). When another
 * connection writes between two steps, SQLite starts the copy over, so under steady traffic a
 * copy made of small steps might never finish: every step after the first copies all remaining
 * pages, which makes the copy one snapshot, taken in one step.
 */
async function copyDatabase(source: string, target: string): Promise<void> {
  const file = new BetterSqlite3(source, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    await file.backup(target, { progress: () => ALL_PAGES });
  } finally {
    file.close();
  }
  // The copy carries the source's WAL mode; as a file on its own it is a plain rollback-journal
  // database, so that opening it (below, or to inspect it) leaves no -wal or -shm beside it.
  // openSqlite() switches the restored file back to WAL.
  const copy = new BetterSqlite3(target, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new OpsError(`The database copy failed SQLite's quick_check: ${String(check)}`);
  } finally {
    copy.close();
  }
  await syncFile(target);
}

/** Every blob key the database names: file originals and thumbnails, and unfinished or failed uploads. */
function namedBlobs(databaseFile: string): string[] {
  const file = new BetterSqlite3(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const rows = file
      .prepare(
        `select blob_key as key from files
         union select thumbnail_key from files where thumbnail_key is not null
         union select blob_key from jobs where blob_key is not null and status <> 'completed'`,
      )
      .all() as { key: string }[];
    return rows.map((row) => row.key);
  } finally {
    file.close();
  }
}

async function copyBlobs(from: string, to: string): Promise<{ files: number; bytes: number }> {
  const totals = { files: 0, bytes: 0 };
  for (const relative of await listFiles(from)) {
    const target = path.join(to, relative);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    try {
      await fsp.copyFile(path.join(from, relative), target, fs.constants.COPYFILE_EXCL);
    } catch (error) {
      // Deleted since it was listed (a message deleted, an orphan swept): nothing to copy.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    await syncFile(target);
    totals.files += 1;
    totals.bytes += (await fsp.stat(target)).size;
  }
  return totals;
}

/** Paths of the regular files under `root`, relative to it, without the staging directory. */
export async function listFiles(root: string, relative = ''): Promise<string[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(path.join(root, relative), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) {
      if (relative === '' && entry.name === BLOB_STAGING_DIR) continue;
      files.push(...(await listFiles(root, child)));
    } else if (entry.isFile()) {
      files.push(child);
    }
  }
  return files.sort();
}

export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Creates `directory`, or accepts it when it exists and is empty; anything in it is refused. */
async function prepareEmptyDirectory(directory: string): Promise<void> {
  await fsp.mkdir(directory, { recursive: true });
  const entries = await fsp.readdir(directory);
  if (entries.length > 0) {
    throw new OpsError(`The backup directory ${directory} is not empty; give a new or empty directory.`);
  }
}

export async function syncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function syncDirectory(directory: string): Promise<void> {
  const handle = await fsp.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeFileDurably(file: string, content: string): Promise<void> {
  const temp = `${file}.tmp`;
  await fsp.writeFile(temp, content, { flag: 'wx' });
  await syncFile(temp);
  await fsp.rename(temp, file);
  await syncDirectory(path.dirname(file));
}
