/**
 * `npm run backup [-- <dir>]` and `npm run restore -- <backup dir> [--force]`, run in the
 * server's working directory (backend/) with the server's environment, so DATA_DIR and the rest
 * of the configuration mean what they mean to the server. Paths given on the command line are
 * taken relative to where npm was run (INIT_CWD).
 *
 * Exit codes: 0 done, 1 refused or failed (the message says why), 2 bad configuration or usage.
 */
import path from 'node:path';
import { type Config, ConfigError, loadConfig } from '../config/config.js';
import { defaultBackupDir, OpsError, takeBackup } from './backup.js';
import { restoreBackup } from './restore.js';

const USAGE = `usage:
  npm run backup [-- <backup dir>]            default: $BACKUP_DIR/<time>, else DATA_DIR/backups/<time>
  npm run restore -- <backup dir> [--force]   into DATA_DIR, which must not hold a database (--force: replace it)`;

const fromInvocation = (value: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), value);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const force = rest.includes('--force');
  const paths = rest.filter((arg) => arg !== '--force');
  if ((command !== 'backup' && command !== 'restore') || paths.length > 1 || rest.some(isUnknownFlag)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }

  if (command === 'backup') {
    if (force) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const backupDir = process.env.BACKUP_DIR ? path.resolve(process.env.BACKUP_DIR) : undefined;
    const target = paths[0] !== undefined ? fromInvocation(paths[0]) : defaultBackupDir(config, backupDir);
    const manifest = await takeBackup(config, target);
    process.stdout.write(
      `Backed up ${config.dataDir} to ${target}: database ${manifest.database.bytes} bytes ` +
        `(sha256 ${manifest.database.sha256}), ${manifest.blobs.files} files (${manifest.blobs.bytes} bytes).\n`,
    );
    if (manifest.blobs.missing.length > 0) {
      process.stdout.write(
        `${manifest.blobs.missing.length} file(s) the database names were deleted before they could be ` +
          'copied (messages deleted during the backup); they are listed in manifest.json.\n',
      );
    }
    return 0;
  }

  const source = paths[0];
  if (source === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const backupDir = fromInvocation(source);
  const outcome = await restoreBackup(config, backupDir, { force });
  if (outcome.previousDatabase) {
    process.stdout.write(`The database that was in DATA_DIR is now ${outcome.previousDatabase}.\n`);
  }
  process.stdout.write(
    `Restored the backup of ${outcome.manifest.createdAt} (Parley ${outcome.manifest.parleyVersion}) ` +
      `from ${backupDir} into ${config.dataDir}; start the server on it.\n`,
  );
  return 0;
}

const isUnknownFlag = (arg: string) => arg.startsWith('-') && arg !== '--force';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof OpsError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  },
);
