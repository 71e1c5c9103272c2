/**
 * `npm run restore -- <backup dir>`: puts a backup made by `npm run backup` into DATA_DIR. Only
 * into a DATA_DIR without a database (unless forced), never under a running server, and only
 * a backup whose database matches its manifest's checksum.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Config } from '../config/config.js';
import { openSqlite } from '../storage/sqlite/open-sqlite.js';
import {
  assertEmbedded,
  type BackupManifest,
  BLOBS_DIR,
  DATABASE_FILE,
  hashFile,
  listFiles,
  MANIFEST_FILE,
  OpsError,
  syncDirectory,
  syncFile,
} from './backup.js';

export interface RestoreOptions {
  /** Replace a database already in DATA_DIR (it is kept aside as `parley.db.before-restore-<time>`). */
  force?: boolean;
}

export interface RestoreOutcome {
  manifest: BackupManifest;
  /** Where the database that was in DATA_DIR went (with `force`), if there was one. */
  previousDatabase: string | undefined;
}

export async function restoreBackup(
  config: Config,
  backupDir: string,
  options: RestoreOptions = {},
): Promise<RestoreOutcome> {
  assertEmbedded(config, 'restore');
  const manifest = await readManifest(backupDir);
  await verifyBackup(backupDir, manifest);

  const target = path.join(config.dataDir, DATABASE_FILE);
  let previousDatabase: string | undefined;
  if (fs.existsSync(target) || fs.existsSync(`${target}-wal`)) {
    if (!options.force) {
      throw new OpsError(
        `${config.dataDir} already holds a database (${DATABASE_FILE}). Restore into a new or empty ` +
          'DATA_DIR, or add --force to replace it (it is kept aside, not deleted).',
      );
    }
    if (isHeldByAnotherConnection(target)) {
      throw new OpsError(
        `A running server holds ${target}. Stop it (SIGTERM) before restoring into its DATA_DIR.`,
      );
    }
    previousDatabase = await moveAside(target);
  }

  await fsp.mkdir(config.dataDir, { recursive: true });
  // Blobs first, the database last: a restore interrupted halfway leaves no database, so no
  // server can start on a DATA_DIR whose files are not all there yet.
  await copyTree(path.join(backupDir, BLOBS_DIR), path.join(config.dataDir, BLOBS_DIR));
  const temp = `${target}.restoring`;
  await fsp.copyFile(path.join(backupDir, DATABASE_FILE), temp);
  await syncFile(temp);
  if ((await hashFile(temp)).sha256 !== manifest.database.sha256) {
    await fsp.rm(temp, { force: true });
    throw new OpsError(
      `The database copied into ${config.dataDir} does not match the backup; nothing was restored.`,
    );
  }
  try {
    // link() refuses an existing name: a server that created a database meanwhile is not overwritten.
    await fsp.link(temp, target);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new OpsError(`${target} appeared while restoring (a server started?); nothing was replaced.`);
    }
    throw error;
  }
  await fsp.rm(temp);
  await syncDirectory(config.dataDir);

  // Opened once the normal way: WAL mode back on, and the migrations of this version applied.
  const db = await openSqlite(config.dataDir);
  await db.close();
  return { manifest, previousDatabase };
}

async function readManifest(backupDir: string): Promise<BackupManifest> {
  const file = path.join(backupDir, MANIFEST_FILE);
  let manifest: Partial<BackupManifest>;
  try {
    manifest = JSON.parse(await fsp.readFile(file, 'utf8')) as Partial<BackupManifest>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OpsError(
      code === 'ENOENT'
        ? `${backupDir} has no ${MANIFEST_FILE}: not a Parley backup, or one that was interrupted.`
        : `${file} cannot be read: ${(error as Error).message}`,
    );
  }
  if (
    manifest.format !== 'parley-backup' ||
    manifest.formatVersion !== 1 ||
    typeof manifest.database?.sha256 !== 'string' ||
    typeof manifest.blobs?.files !== 'number'
  ) {
    throw new OpsError(`${file} is not a manifest this version of Parley understands.`);
  }
  return manifest as BackupManifest;
}

/** The database must match its checksum, and every blob the backup counted must be there. */
async function verifyBackup(backupDir: string, manifest: BackupManifest): Promise<void> {
  const database = path.join(backupDir, DATABASE_FILE);
  if (!fs.existsSync(database)) throw new OpsError(`${database} is missing; nothing was restored.`);
  const { sha256, bytes } = await hashFile(database);
  if (sha256 !== manifest.database.sha256 || bytes !== manifest.database.bytes) {
    throw new OpsError(
      `${database} does not match the manifest's checksum (sha256 ${sha256}, expected ` +
        `${manifest.database.sha256}): the copy is damaged. Nothing was restored.`,
    );
  }
  const blobsDir = path.join(backupDir, BLOBS_DIR);
  const files = await listFiles(blobsDir);
  let total = 0;
  for (const file of files) total += (await fsp.stat(path.join(blobsDir, file))).size;
  if (files.length !== manifest.blobs.files || total !== manifest.blobs.bytes) {
    throw new OpsError(
      `${blobsDir} holds ${files.length} files (${total} bytes), the manifest ${manifest.blobs.files} ` +
        `(${manifest.blobs.bytes} bytes): the copy is incomplete. Nothing was restored.`,
    );
  }
}

/**
 * Whether another connection (a running server) has the database open. Every connection to a
 * WAL-mode database keeps a shared lock on it while it is open, idle or not; a connection in
 * EXCLUSIVE locking mode needs the database's exclusive lock for its first transaction, which
 * it gets only when no other connection has the file open. So that first transaction failing
 * with SQLITE_BUSY at once (no busy timeout) means someone holds the file. When nobody does, the
 * probe takes the lock, recovers a WAL left by a crashed server, and lets go when closed.
 */
function isHeldByAnotherConnection(file: string): boolean {
  const probe = new BetterSqlite3(file, { fileMustExist: true, timeout: 0 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    probe.close();
  }
}

/** Renames the database (and its WAL, which belongs to it) out of the way; drops its -shm. */
async function moveAside(file: string): Promise<string> {
  const aside = `${file}.before-restore-${new Date().toISOString().replaceAll(':', '-')}`;
  if (fs.existsSync(file)) await fsp.rename(file, aside);
  // A -wal left beside the restored file would be replayed into it: it must go with its database.
  if (fs.existsSync(`${file}-wal`)) await fsp.rename(`${file}-wal`, `${aside}-wal`);
  await fsp.rm(`${file}-shm`, { force: true });
  return aside;
}

async function copyTree(from: string, to: string): Promise<void> {
  for (const relative of await listFiles(from)) {
    const target = path.join(to, relative);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.copyFile(path.join(from, relative), target);
    await syncFile(target);
  }
}
