/**
 * Starts the real Parley server as a child process, the way an operator would, on free ports
 * with its own temporary DATA_DIR. Tests talk to it only over HTTP and WebSocket.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach } from 'vitest';
import { freePorts } from '../../../scripts/free-ports.mjs';
import { startCluster } from './cluster.js';
import { PostgresUnavailableError, startPostgres, type TestPostgres } from './postgres.js';

const BACKEND_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const READY_TIMEOUT_MS = 45_000;
const EXIT_TIMEOUT_MS = 15_000;
const OUTPUT_KEEP_CHARS = 200_000;

export interface StartServerOptions {
  /** Extra environment, e.g. `{ MAX_UPLOAD_BYTES: '100000' }`. */
  env?: Record<string, string>;
  /** Reuse an existing data directory (it is then never removed by this helper). */
  dataDir?: string;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TestServer {
  /** `http://127.0.0.1:HTTP_PORT`, also the app's own origin. */
  readonly httpUrl: string;
  /** `ws://127.0.0.1:HTTP_PORT/ws` */
  readonly wsUrl: string;
  /** `ws://127.0.0.1:WS_PORT/` */
  readonly wsPortUrl: string;
  readonly httpPort: number;
  readonly wsPort: number;
  readonly dataDir: string;
  /** Pid of the current server process (changes on restart). */
  readonly pid: number;
  /** Resolves when the current process exits. */
  readonly exited: Promise<ExitStatus>;
  /** SIGTERM, then waits for the exit (SIGKILL and an error after 15 s). */
  stop(): Promise<ExitStatus>;
  /** Sends `signal` and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** Starts a new process on the same ports and DATA_DIR (the old one must have exited). */
  restart(): Promise<void>;
  /** Everything the server printed so far (all its processes). */
  output(): string;
  /** Kills the process if it still runs and removes the data directory. Idempotent. */
  dispose(): Promise<void>;
}

const live = new Set<ServerHandle>();

/**
 * `PARLEY_TEST_DATABASE=postgres` runs the same tests with every server on PostgreSQL: one
 * PostgreSQL server per test file, a fresh database per Parley server (kept across its restarts).
 */
const onPostgres = process.env.PARLEY_TEST_DATABASE === 'postgres';
let postgres: Promise<TestPostgres | undefined> | undefined;

afterAll(async () => {
  const started = postgres;
  postgres = undefined;
  if (started) await (await started)?.stop();
});

async function databaseEnv(options: StartServerOptions): Promise<Record<string, string>> {
  if (!onPostgres || options.env?.DATABASE_URL !== undefined) return {};
  postgres ??= startPostgres().catch((error: unknown) => {
    if (process.env.CI === 'true' || !(error instanceof PostgresUnavailableError)) throw error;
    const line = '!'.repeat(100);
    console.warn(
      `\n${line}\n! PARLEY_TEST_DATABASE=postgres, but PostgreSQL cannot start here: ${error.message}\n` +
        `! These servers run on SQLite instead; in CI (CI=true) this is a failure.\n${line}\n`,
    );
    return undefined;
  });
  const started = await postgres;
  if (!started) return {};
  // Jobs a killed server held wait for their lease to run out before a restart takes them
  // over (on SQLite a restart takes them back at once): short leases keep crash tests quick.
  return { DATABASE_URL: await started.createDatabase(), JOB_LEASE_MS: '2000' };
}

/**
 * With `PARLEY_TEST_TARGET=cluster` (backend `npm run test:cluster`) the same tests run against
 * the scaled-out topology instead: nginx in front of three instances (see cluster.ts).
 */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  if (process.env.PARLEY_TEST_TARGET === 'cluster') {
    // The suite checks the headers of downloads this server streams (nosniff, disposition):
    // on the cluster the bytes come from S3 through the instances. Redirects to presigned S3
    // URLs are tested by test/blobs/s3-server.test.ts.
    return startCluster({ ...options, env: { S3_DOWNLOADS: 'proxy', ...options.env } });
  }
  const [httpPort, wsPort] = await freePorts(2);
  if (httpPort === undefined || wsPort === undefined) throw new Error('could not pick free ports');
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
  const env = { ...(await databaseEnv(options)), ...options.env };
  const handle = new ServerHandle(httpPort, wsPort, dataDir, ownsDataDir, env);
  live.add(handle);
  try {
    await handle.launch();
  } catch (error) {
    await handle.dispose();
    throw error;
  }
  return handle;
}

class ServerHandle implements TestServer {
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly wsPortUrl: string;
  private child: ChildProcess | undefined;
  private log = '';
  private expectingExit = false;
  private disposed = false;
  exited: Promise<ExitStatus> = Promise.resolve({ code: null, signal: null });

  constructor(
    readonly httpPort: number,
    readonly wsPort: number,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    private readonly extraEnv: Record<string, string>,
  ) {
    this.httpUrl = `http://127.0.0.1:${httpPort}`;
    this.wsUrl = `ws://127.0.0.1:${httpPort}/ws`;
    this.wsPortUrl = `ws://127.0.0.1:${wsPort}/`;
  }

  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error('server process is not running');
    return pid;
  }

  output(): string {
    return this.log;
  }

  async launch(): Promise<void> {
    this.expectingExit = false;
    this.append(`\n----- starting server (HTTP_PORT=${this.httpPort} WS_PORT=${this.wsPort}) -----\n`);
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
      cwd: BACKEND_DIR,
      env: {
        ...process.env,
        HTTP_PORT: String(this.httpPort),
        WS_PORT: String(this.wsPort),
        DATA_DIR: this.dataDir,
        LOG_LEVEL: 'warn',
        PARLEY_TEST_FAULTS: '1',
        NODE_ENV: 'test',
        ...this.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.append(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.append(chunk.toString()));
    this.exited = new Promise<ExitStatus>((resolve) => {
      child.once('exit', (code, signal) => {
        this.append(`\n----- server exited (code ${code}, signal ${signal}) -----\n`);
        if (!this.expectingExit) {
          console.error(
            `Parley server (pid ${child.pid}) died unexpectedly: code ${code}, signal ${signal}\n${this.tail()}`,
          );
        }
        resolve({ code, signal });
      });
    });
    await this.waitUntilHealthy(child);
  }

  private async waitUntilHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });
    let lastProblem = 'no answer yet';
    while (Date.now() < deadline) {
      if (exited || child.exitCode !== null) {
        throw new Error(`Parley server exited before it was healthy\n${this.tail()}`);
      }
      try {
        const response = await fetch(`${this.httpUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
        lastProblem = `GET /healthz answered ${response.status}`;
      } catch (error) {
        lastProblem = String(error);
      }
      await sleep(100);
    }
    throw new Error(
      `Parley server was not healthy within ${READY_TIMEOUT_MS} ms (${lastProblem})\n${this.tail()}`,
    );
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitStatus> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return this.exited;
    this.expectingExit = true;
    child.kill(signal);
    const status = await Promise.race([this.exited, sleep(EXIT_TIMEOUT_MS).then(() => undefined)]);
    if (status) return status;
    child.kill('SIGKILL');
    await this.exited;
    throw new Error(`Parley server did not exit within ${EXIT_TIMEOUT_MS} ms of ${signal}\n${this.tail()}`);
  }

  stop(): Promise<ExitStatus> {
    return this.kill('SIGTERM');
  }

  async restart(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      throw new Error('restart() needs the previous server process to have exited (use kill or stop)');
    }
    await this.launch();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    live.delete(this);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      this.expectingExit = true;
      child.kill('SIGKILL');
      await this.exited;
    }
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The last part of the server's output, for failure messages. */
  tail(chars = 20_000): string {
    const text = this.log.length > chars ? `…${this.log.slice(-chars)}` : this.log;
    return `----- Parley server output (DATA_DIR ${this.dataDir}) -----\n${text}\n----- end of server output -----`;
  }

  private append(text: string): void {
    this.log += text;
    if (this.log.length > OUTPUT_KEEP_CHARS) this.log = this.log.slice(-OUTPUT_KEEP_CHARS);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Safety nets, registered for every test file that imports this module:
// print the servers' output when a test fails, and never leave a server process behind.
beforeEach((context) => {
  context.onTestFailed(() => {
    for (const server of live) console.error(server.tail());
  });
});

afterAll(async () => {
  await Promise.all([...live].map((server) => server.dispose()));
});

process.once('exit', () => {
  for (const server of live) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
