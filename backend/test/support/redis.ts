/**
 * A throwaway Redis server for tests: `redis-server` in the foreground on a free port, without
 * persistence (a restart loses everything, as a crashed cache would), killed afterwards. Each
 * test file starts its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../../scripts/free-ports.mjs';
import { ServiceUnavailableError, startOrSkip } from './service-or-skip.js';

/** Where redis-server may be, besides PATH. */
const BINARY_DIRS = ['/usr/bin', '/usr/local/bin'];
const START_TIMEOUT_MS = 10_000;

export interface TestRedis {
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** Kills the server and starts a new, empty one on the same port, `downMs` later. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server. Idempotent. */
  stop(): Promise<void>;
}

/** Redis could not be started here (not installed, the server would not come up…). */
export class RedisUnavailableError extends ServiceUnavailableError {
  override readonly name = 'RedisUnavailableError';
}

/**
 * Starts a server for a test file, or decides the file's Redis tests skip: in CI (`CI=true`) a
 * server that cannot start fails the file; elsewhere it is skipped, loudly.
 */
export function startRedisForTests(testFile: string): Promise<TestRedis | undefined> {
  return startOrSkip('Redis', testFile, startRedis);
}

export async function startRedis(): Promise<TestRedis> {
  const binary = findBinary('redis-server');
  const port = await freePort();
  let server = await spawnServer(binary, port);
  let stopped = false;
  // A test process that ends without stopping its server must not leave it running: on a normal
  // exit the handler kills it; when the process is killed (a test runner's worker often is), a
  // watchdog process that outlives it does.
  const onExit = () => server.process.kill('SIGKILL');
  process.once('exit', onExit);
  let watchdog = startWatchdog(server.process);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart(downMs = 0) {
      watchdog.kill();
      await server.kill();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await spawnServer(binary, port);
      watchdog = startWatchdog(server.process);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      watchdog.kill();
      await server.kill();
    },
  };
}

interface RunningServer {
  process: ChildProcess;
  kill(): Promise<void>;
}

async function spawnServer(binary: string, port: number): Promise<RunningServer> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new RedisUnavailableError(`${message}\n${output}`));
    };
    const timer = setTimeout(
      () => fail(`redis-server did not start in ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', (error) => fail(`redis-server could not be run: ${error.message}`));
    child.once('exit', (code) => fail(`redis-server exited with ${code}`));
  });
  // Keep reading, or a full pipe would stall the server.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    process: child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A detached shell that kills the server once this process is gone. */
function startWatchdog(server: ChildProcess): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -9 ${server.pid} 2>/dev/null`;
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
  throw new RedisUnavailableError(`no ${name} in PATH or ${BINARY_DIRS.join(', ')}`);
}
