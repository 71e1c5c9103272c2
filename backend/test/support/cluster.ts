/**
 * Starts the scaled-out topology for a test the way an operator would: `npm run start:cluster`'s
 * script (scripts/cluster/start-cluster.mjs) as a child process, with a temporary DATA_DIR and
 * free ports: PostgreSQL, Redis, s3rver, three Parley instances (from source, like
 * `startServer`) and nginx in front. The handle is a `TestServer` whose URLs are the balancer's,
 * plus each instance's own URLs and the faults a cluster test needs (kill or restart an
 * instance, stop or start Redis or PostgreSQL), all read from DATA_DIR/cluster.json or asked
 * of the script over its stdin control channel.
 *
 * Needs nginx, redis-server and PostgreSQL 15 (initdb, pg_ctl). In CI (`CI=true`) a missing one
 * fails the file; elsewhere the file is skipped, loudly (`clusterUnavailable`).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach } from 'vitest';
import { freePorts } from '../../../scripts/free-ports.mjs';
import type { ExitStatus, StartServerOptions, TestServer } from './server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCRIPT = path.join(ROOT, 'scripts/cluster/start-cluster.mjs');
const READY_TIMEOUT_MS = 150_000;
const STOP_TIMEOUT_MS = 60_000;
const CONTROL_TIMEOUT_MS = 90_000;
const OUTPUT_KEEP_CHARS = 100_000;

export interface StartClusterOptions extends StartServerOptions {
  /** How many Parley instances (3). */
  instances?: number;
}

export interface ClusterInstance {
  /** `instance-1`, `instance-2`, … */
  readonly name: string;
  readonly httpUrl: string;
  /** `ws://127.0.0.1:<its HTTP_PORT>/ws` */
  readonly wsUrl: string;
  /** `ws://127.0.0.1:<its WS_PORT>/` */
  readonly wsPortUrl: string;
  readonly httpPort: number;
  readonly wsPort: number;
}

/** One entry of DATA_DIR/cluster.json. */
export interface ClusterProcess {
  role: 'balancer' | 'instance' | 'postgres' | 'redis' | 's3';
  name: string;
  pid: number | null;
  port: number;
  ports: Record<string, number>;
  running: boolean;
  log: string;
}

interface ClusterFile {
  ready: boolean;
  supervisorPid: number;
  databaseUrl: string;
  redisUrl: string;
  processes: ClusterProcess[];
}

/** The balancer's URLs as a `TestServer`, plus the instances and the faults. */
export interface TestCluster extends TestServer {
  /** The instances in order (`instances[0]` is `instance-1`); their URLs bypass the balancer. */
  readonly instances: readonly ClusterInstance[];
  /** DATABASE_URL the instances share. */
  readonly databaseUrl: string;
  /** Every process of the cluster as DATA_DIR/cluster.json names it now. */
  processes(): ClusterProcess[];
  /** Sends `signal` (SIGKILL) to instance `index` (0-based) and waits until it is gone. */
  killInstance(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts instance `index` again on its ports; resolves once it answers /healthz. */
  restartInstance(index: number): Promise<void>;
  stopRedis(): Promise<void>;
  startRedis(): Promise<void>;
  /** `pg_ctl -m fast stop`. */
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
}

/** What this machine lacks to run a cluster ([] when nothing). */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  const have = (name: string, dirs: string[]) =>
    [...(process.env.PATH ?? '').split(path.delimiter), ...dirs].some(
      (dir) => dir !== '' && fs.existsSync(path.join(dir, name)),
    );
  if (!have('nginx', ['/usr/sbin'])) missing.push('nginx (apt-get install -y nginx)');
  if (!have('redis-server', ['/usr/bin'])) missing.push('redis-server (apt-get install -y redis-server)');
  for (const program of ['initdb', 'pg_ctl']) {
    if (!have(program, ['/usr/local/bin', '/usr/lib/postgresql/15/bin']))
      missing.push(`PostgreSQL's ${program}`);
  }
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) {
    missing.push("a 'postgres' user (PostgreSQL refuses to run as root)");
  }
  return missing;
}

/**
 * Whether a cluster test file must skip: in CI a missing service throws (the file fails);
 * elsewhere it warns loudly and answers true. Call it at the top of the file, for `describe.skipIf`.
 */
export function clusterUnavailable(testFile: string): boolean {
  const missing = missingPrerequisites();
  if (missing.length === 0) return false;
  const reason = `the cluster needs ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`${testFile}: ${reason}`);
  const line = '!'.repeat(100);
  console.warn(
    `\n${line}\n! SKIPPING the cluster tests of ${testFile}: ${reason}.\n` +
      `! They run (and must pass) in CI, where CI=true makes this a failure.\n${line}\n`,
  );
  return true;
}

const live = new Set<ClusterHandle>();

export async function startCluster(options: StartClusterOptions = {}): Promise<TestCluster> {
  const [httpPort, wsPort] = await freePorts(2);
  if (httpPort === undefined || wsPort === undefined) throw new Error('could not pick free ports');
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cluster-'));
  const env: Record<string, string> = {
    PARLEY_CLUSTER_INSTANCES: String(options.instances ?? 3),
    ...options.env,
  };
  const handle = new ClusterHandle(httpPort, wsPort, dataDir, ownsDataDir, env);
  live.add(handle);
  try {
    await handle.launch();
  } catch (error) {
    await handle.dispose();
    throw error;
  }
  return handle;
}

class ClusterHandle implements TestCluster {
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly wsPortUrl: string;
  instances: ClusterInstance[] = [];
  databaseUrl = '';
  exited: Promise<ExitStatus> = Promise.resolve({ code: null, signal: null });
  private child: ChildProcess | undefined;
  private log = '';
  private stdoutBuffer = '';
  private expectingExit = false;
  private disposed = false;
  private commands = 0;
  private readonly answers = new Map<string, (answer: { ok: boolean; error?: string }) => void>();

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

  /** The supervising script's pid (start-cluster.mjs). */
  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error('the cluster is not running');
    return pid;
  }

  private get clusterFile(): string {
    return path.join(this.dataDir, 'cluster.json');
  }

  private readClusterFile(): ClusterFile | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.clusterFile, 'utf8')) as ClusterFile;
    } catch {
      return undefined;
    }
  }

  processes(): ClusterProcess[] {
    const file = this.readClusterFile();
    if (!file) throw new Error(`no ${this.clusterFile}: the cluster is not running`);
    return file.processes;
  }

  async launch(): Promise<void> {
    this.expectingExit = false;
    this.append(`\n----- starting the cluster (HTTP_PORT=${this.httpPort} WS_PORT=${this.wsPort}) -----\n`);
    const child = spawn(process.execPath, [SCRIPT], {
      cwd: ROOT,
      env: {
        ...process.env,
        HTTP_PORT: String(this.httpPort),
        WS_PORT: String(this.wsPort),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        LOG_LEVEL: 'warn',
        PARLEY_TEST_FAULTS: '1',
        NODE_ENV: 'test',
        PARLEY_CLUSTER_FROM_SOURCE: '1',
        PARLEY_CLUSTER_PG_FSYNC: '0',
        ...this.extraEnv,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.append(chunk.toString()));
    child.stdin?.on('error', () => {}); // the script may be gone already
    this.exited = new Promise<ExitStatus>((resolve) => {
      child.once('exit', (code, signal) => {
        this.append(`\n----- start-cluster exited (code ${code}, signal ${signal}) -----\n`);
        if (!this.expectingExit) {
          console.error(
            `The cluster (pid ${child.pid}) stopped unexpectedly: code ${code}, signal ${signal}\n${this.tail()}`,
          );
        }
        for (const answer of this.answers.values()) answer({ ok: false, error: 'the cluster script exited' });
        this.answers.clear();
        resolve({ code, signal });
      });
    });
    await this.waitUntilReady(child);
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        await this.exited;
        throw new Error(`the cluster exited before it was ready\n${this.tail()}`);
      }
      const file = this.readClusterFile();
      if (file?.ready && file.supervisorPid === child.pid) {
        this.databaseUrl = file.databaseUrl;
        this.instances = file.processes
          .filter((entry) => entry.role === 'instance')
          .map((entry) => {
            const http = entry.ports.http ?? entry.port;
            const ws = entry.ports.ws ?? 0;
            return {
              name: entry.name,
              httpPort: http,
              wsPort: ws,
              httpUrl: `http://127.0.0.1:${http}`,
              wsUrl: `ws://127.0.0.1:${http}/ws`,
              wsPortUrl: `ws://127.0.0.1:${ws}/`,
            };
          });
        return;
      }
      await sleep(200);
    }
    throw new Error(`the cluster was not ready within ${READY_TIMEOUT_MS} ms\n${this.tail()}`);
  }

  /** Sends a command to the script's stdin control channel and waits for its answer. */
  private async control(command: string): Promise<void> {
    const child = this.child;
    if (!child?.stdin || child.exitCode !== null) throw new Error(`${command}: the cluster is not running`);
    const id = `c${++this.commands}`;
    const answer = new Promise<{ ok: boolean; error?: string }>((resolve) => this.answers.set(id, resolve));
    child.stdin.write(`${id} ${command}\n`);
    const result = await Promise.race([answer, sleep(CONTROL_TIMEOUT_MS).then(() => undefined)]);
    this.answers.delete(id);
    if (!result) throw new Error(`${command}: no answer within ${CONTROL_TIMEOUT_MS} ms\n${this.tail()}`);
    if (!result.ok) throw new Error(`${command}: ${result.error}\n${this.tail()}`);
  }

  private onStdout(text: string): void {
    this.append(text);
    this.stdoutBuffer += text;
    const lines = this.stdoutBuffer.split('\n');
    this.stdoutBuffer = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^@control (\S+) (.*)$/.exec(line);
      if (!match) continue;
      const resolve = this.answers.get(match[1] ?? '');
      if (resolve) resolve(JSON.parse(match[2] ?? '{}') as { ok: boolean; error?: string });
    }
  }

  private instanceEntry(index: number): ClusterProcess {
    const name = `instance-${index + 1}`;
    const entry = this.processes().find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`the cluster has no ${name}`);
    return entry;
  }

  async killInstance(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const { pid, name } = this.instanceEntry(index);
    if (!pid) throw new Error(`${name} is not running`);
    process.kill(pid, signal);
    const deadline = Date.now() + 30_000;
    while (isAlive(pid)) {
      if (Date.now() > deadline)
        throw new Error(`${name} (pid ${pid}) did not exit within 30 s of ${signal}`);
      await sleep(50);
    }
  }

  restartInstance(index: number): Promise<void> {
    return this.control(`start instance-${index + 1}`);
  }

  stopRedis(): Promise<void> {
    return this.control('stop redis');
  }

  startRedis(): Promise<void> {
    return this.control('start redis');
  }

  stopPostgres(): Promise<void> {
    return this.control('stop postgres');
  }

  startPostgres(): Promise<void> {
    return this.control('start postgres');
  }

  output(): string {
    const logs = path.join(this.dataDir, 'logs');
    let text = this.log;
    try {
      for (const file of fs.readdirSync(logs).sort()) {
        if (file === 'balancer-access.log') continue;
        const content = fs.readFileSync(path.join(logs, file), 'utf8');
        text += `\n----- ${file} -----\n${content.length > 20_000 ? `…${content.slice(-20_000)}` : content}`;
      }
    } catch {
      // no logs yet
    }
    return text;
  }

  /** Everything the cluster wrote (its own output, then each log file's end), for failure messages. */
  tail(chars = 40_000): string {
    const text = this.output();
    const cut = text.length > chars ? `…${text.slice(-chars)}` : text;
    return `----- Parley cluster output (DATA_DIR ${this.dataDir}) -----\n${cut}\n----- end of cluster output -----`;
  }

  /**
   * SIGTERM stops the whole cluster in order. SIGKILL kills only the script: its watchdog then
   * kills the processes it started and stops PostgreSQL (within about a second).
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitStatus> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return this.exited;
    this.expectingExit = true;
    child.kill(signal);
    const status = await Promise.race([this.exited, sleep(STOP_TIMEOUT_MS).then(() => undefined)]);
    if (status) return status;
    child.kill('SIGKILL');
    await this.exited;
    throw new Error(`the cluster did not stop within ${STOP_TIMEOUT_MS} ms of ${signal}\n${this.tail()}`);
  }

  stop(): Promise<ExitStatus> {
    return this.kill('SIGTERM');
  }

  /** Starts the cluster again on the same ports and DATA_DIR (PostgreSQL's data is reused). */
  async restart(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      throw new Error('restart() needs the previous cluster to have stopped (use kill or stop)');
    }
    // After a SIGKILL the watchdog is still clearing up; wait until it removed cluster.json.
    const deadline = Date.now() + 30_000;
    while (fs.existsSync(this.clusterFile) && Date.now() < deadline) await sleep(100);
    await this.launch();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    live.delete(this);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      await this.stop().catch((error: unknown) => console.error(String(error)));
    }
    const deadline = Date.now() + 30_000;
    while (fs.existsSync(this.clusterFile) && Date.now() < deadline) await sleep(100);
    if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private append(text: string): void {
    this.log += text;
    if (this.log.length > OUTPUT_KEEP_CHARS) this.log = this.log.slice(-OUTPUT_KEEP_CHARS);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Safety nets, as in server.ts: print the cluster's output when a test fails, and never leave
// a cluster behind (a SIGTERM at exit lets the script stop everything in order).
beforeEach((context) => {
  context.onTestFailed(() => {
    for (const cluster of live) console.error(cluster.tail());
  });
});

afterAll(async () => {
  await Promise.all([...live].map((cluster) => cluster.dispose()));
});

process.once('exit', () => {
  for (const cluster of live) {
    try {
      process.kill(cluster.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});
