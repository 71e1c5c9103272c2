/**
 * A throwaway PostgreSQL server for tests: initdb into a temporary directory, started on a free
 * port with fsync off (its data is thrown away anyway), stopped and deleted afterwards. Each
 * test file starts its own and creates the databases it needs in it.
 *
 * PostgreSQL refuses to run as root: as root, every server command runs as the `postgres` user.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../../scripts/free-ports.mjs';
import { ServiceUnavailableError, startOrSkip } from './service-or-skip.js';

const run = promisify(execFile);
const SERVER_USER = 'postgres';
/** Where PostgreSQL's server programs may be, besides PATH. */
const BINARY_DIRS = ['/usr/local/bin', '/usr/local/pgsql/bin', '/usr/lib/postgresql/15/bin'];
const START_TIMEOUT_SECONDS = 30;

export interface TestPostgres {
  /** The server's maintenance database, as `postgres://parley@127.0.0.1:PORT/postgres`. */
  readonly url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server and deletes its files. Idempotent. */
  stop(): Promise<void>;
}

/** PostgreSQL could not be started here (not installed, no `postgres` user, initdb failed…). */
export class PostgresUnavailableError extends ServiceUnavailableError {
  override readonly name = 'PostgresUnavailableError';
}

/**
 * Starts a server for a test file, or decides the file's PostgreSQL tests skip: in CI
 * (`CI=true`) a server that cannot start fails the file; elsewhere it is skipped, loudly.
 */
export function startPostgresForTests(testFile: string): Promise<TestPostgres | undefined> {
  return startOrSkip('PostgreSQL', testFile, startPostgres);
}

export async function startPostgres(): Promise<TestPostgres> {
  const initdb = findBinary('initdb');
  const pgCtl = findBinary('pg_ctl');
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-postgres-'));
  const dataDir = path.join(dir, 'data');
  const asServerUser = (program: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', SERVER_USER, '--', program, ...args]) : run(program, args);
  try {
    if (asRoot) chownToServerUser(dir);
    await asServerUser(initdb, ['-D', dataDir, '-U', 'parley', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new PostgresUnavailableError(`initdb failed: ${describe(error)}`, { cause: error });
  }
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const stopNow = () =>
    asRoot
      ? spawnSync('runuser', ['-u', SERVER_USER, '--', pgCtl, '-D', dataDir, '-m', 'immediate', 'stop'])
      : spawnSync(pgCtl, ['-D', dataDir, '-m', 'immediate', 'stop']);
  try {
    await asServerUser(pgCtl, [
      '-D',
      dataDir,
      '-l',
      path.join(dir, 'log'),
      '-w',
      '-t',
      String(START_TIMEOUT_SECONDS),
      '-o',
      options,
      'start',
    ]);
  } catch (error) {
    const log = readIfExists(path.join(dir, 'log'));
    stopNow();
    fs.rmSync(dir, { recursive: true, force: true });
    throw new PostgresUnavailableError(`pg_ctl start failed: ${describe(error)}\n${log}`, { cause: error });
  }

  // A test process that ends without stopping its server must not leave it running: on a normal
  // exit the handler stops it; when the process is killed (a test runner's worker often is), a
  // watchdog process that outlives it does.
  const onExit = () => {
    stopNow();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const watchdog = startWatchdog(asRoot, pgCtl, dataDir, dir);
  const url = `postgres://parley@127.0.0.1:${port}/postgres`;
  let databases = 0;
  let stopped = false;
  return {
    url,
    async createDatabase() {
      const name = `test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://parley@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      watchdog.kill();
      await asServerUser(pgCtl, ['-D', dataDir, '-m', 'fast', 'stop']).catch(() => stopNow());
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A detached shell that stops the server and deletes its files once this process is gone. */
function startWatchdog(asRoot: boolean, pgCtl: string, dataDir: string, dir: string): ChildProcess {
  const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
  const stop = [
    ...(asRoot ? ['runuser', '-u', SERVER_USER, '--'] : []),
    pgCtl,
    '-D',
    dataDir,
    '-m',
    'immediate',
    'stop',
  ]
    .map(quote)
    .join(' ');
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stop}; rm -rf ${quote(dir)}`;
  const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

function findBinary(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...BINARY_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  throw new PostgresUnavailableError(`no ${name} in PATH or ${BINARY_DIRS.join(', ')}`);
}

function chownToServerUser(dir: string): void {
  const id = spawnSync('id', ['-u', SERVER_USER], { encoding: 'utf8' });
  const group = spawnSync('id', ['-g', SERVER_USER], { encoding: 'utf8' });
  if (id.status !== 0 || group.status !== 0) {
    throw new PostgresUnavailableError(`running as root, and there is no '${SERVER_USER}' user to run as`);
  }
  fs.chownSync(dir, Number(id.stdout.trim()), Number(group.stdout.trim()));
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function describe(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  return typeof stderr === 'string' && stderr.trim() ? stderr.trim() : String(error);
}
