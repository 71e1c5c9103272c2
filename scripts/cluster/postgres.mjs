/**
 * PostgreSQL 15 for the cluster: its data in DATA_DIR/postgres/data (initialised once, reused
 * by every later start), started and stopped with pg_ctl. PostgreSQL refuses to run as root:
 * as root, every server command runs as the `postgres` user, which then owns DATA_DIR/postgres.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { isAlive, waitUntil } from './processes.mjs';

const run = promisify(execFile);
const SERVER_USER = 'postgres';
const BINARY_DIRS = ['/usr/local/bin', '/usr/local/pgsql/bin', '/usr/lib/postgresql/15/bin'];

export function findBinary(name, extraDirs = BINARY_DIRS) {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs]) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export class Postgres {
  /**
   * @param {{ dir: string, logFile: string, port: number, database: string }} options
   */
  constructor({ dir, logFile, port, database }) {
    this.name = 'postgres';
    this.role = 'postgres';
    this.dir = dir;
    this.dataDir = path.join(dir, 'data');
    this.logFile = logFile;
    this.port = port;
    this.ports = { port };
    this.database = database;
    this.asRoot = process.getuid?.() === 0;
    this.pgCtl = findBinary('pg_ctl');
    this.initdb = findBinary('initdb');
    this.expectingStop = false;
  }

  get url() {
    return `postgres://parley@127.0.0.1:${this.port}/${this.database}`;
  }

  /** The postmaster's pid while it runs (first line of postmaster.pid). */
  get pid() {
    try {
      const pid = Number(fs.readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return isAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  get running() {
    return this.pid !== undefined;
  }

  #asServerUser(program, args) {
    return this.asRoot ? run('runuser', ['-u', SERVER_USER, '--', program, ...args]) : run(program, args);
  }

  /** initdb when DATA_DIR/postgres holds no cluster yet; answers whether it did. */
  async initIfNeeded() {
    if (!this.pgCtl || !this.initdb) {
      throw new Error(`PostgreSQL 15 is needed: no pg_ctl/initdb in PATH or ${BINARY_DIRS.join(', ')}`);
    }
    fs.mkdirSync(this.dir, { recursive: true });
    if (!fs.existsSync(this.logFile)) fs.writeFileSync(this.logFile, '');
    if (this.asRoot) {
      const uid = idOf('-u');
      const gid = idOf('-g');
      fs.chownSync(this.dir, uid, gid);
      fs.chownSync(this.logFile, uid, gid);
      fs.chmodSync(this.dir, 0o700);
    }
    if (fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) return false;
    await this.#asServerUser(this.initdb, [
      '-D',
      this.dataDir,
      '-U',
      'parley',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
    ]).catch((error) => {
      throw new Error(`initdb failed: ${error.stderr || error.message}`);
    });
    return true;
  }

  async start() {
    const stale = this.pid;
    if (stale) {
      throw new Error(
        `a PostgreSQL server from an earlier run still uses ${this.dataDir} (pid ${stale}); stop it with: pg_ctl -D ${this.dataDir} -m fast stop`,
      );
    }
    this.expectingStop = false;
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=300',
      ...(process.env.PARLEY_CLUSTER_PG_FSYNC === '0' ? ['-c fsync=off', '-c synchronous_commit=off'] : []),
    ].join(' ');
    await this.#asServerUser(this.pgCtl, [
      '-D',
      this.dataDir,
      '-l',
      this.logFile,
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]).catch((error) => {
      throw new Error(`pg_ctl start failed: ${error.stderr || error.message}`);
    });
  }

  /** Creates the application's database unless it exists (the maintenance db `postgres` always does). */
  async ensureDatabase(pg) {
    const client = new pg.Client({
      connectionString: `postgres://parley@127.0.0.1:${this.port}/postgres`,
    });
    await waitUntil('PostgreSQL accepts connections', async () => {
      await client.connect();
      return true;
    });
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [this.database]);
      if (found.rowCount === 0) await client.query(`create database "${this.database}"`);
    } finally {
      await client.end();
    }
  }

  async stop(mode = 'fast') {
    if (!this.running) return;
    this.expectingStop = true;
    await this.#asServerUser(this.pgCtl, ['-D', this.dataDir, '-m', mode, '-w', 'stop']).catch(() => {});
  }

  /** For the watchdog and the last-resort exit handler: no waiting, no promises. */
  stopNowSync() {
    const args = ['-D', this.dataDir, '-m', 'immediate', 'stop'];
    if (this.asRoot) spawnSync('runuser', ['-u', SERVER_USER, '--', this.pgCtl, ...args]);
    else spawnSync(this.pgCtl, args);
  }
}

function idOf(flag) {
  const result = spawnSync('id', [flag, SERVER_USER], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`running as root, and there is no '${SERVER_USER}' user to run PostgreSQL as`);
  }
  return Number(result.stdout.trim());
}
