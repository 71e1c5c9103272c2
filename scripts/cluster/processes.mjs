/**
 * Child processes of the cluster: each writes straight into its own log file (so the log
 * survives this script), runs in its own process group (so a terminal's Ctrl+C reaches only
 * the script, which then stops everything in order), and reports its exit.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export class ManagedProcess {
  /**
   * @param {object} spec
   * @param {string} spec.name e.g. `instance-1`
   * @param {string} spec.role `balancer` | `instance` | `redis` | `s3`
   * @param {string} spec.command
   * @param {string[]} spec.args
   * @param {string} spec.logFile
   * @param {string} [spec.cwd]
   * @param {NodeJS.ProcessEnv} [spec.env]
   * @param {Record<string, number>} spec.ports the first one is `port` in cluster.json
   */
  constructor(spec) {
    this.spec = spec;
    this.name = spec.name;
    this.role = spec.role;
    this.ports = spec.ports;
    /** @type {import('node:child_process').ChildProcess | undefined} */
    this.child = undefined;
    /** @type {Promise<{code: number | null, signal: string | null}>} */
    this.exited = Promise.resolve({ code: null, signal: null });
    this.expectingExit = false;
    this.logOffset = 0;
    /** Called with (process, status) when it exits without being asked to. */
    this.onUnexpectedExit = () => {};
  }

  get pid() {
    return this.running ? this.child?.pid : undefined;
  }

  get running() {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start() {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    this.expectingExit = false;
    const log = fs.openSync(this.spec.logFile, 'a');
    this.logOffset = fs.fstatSync(log).size;
    fs.writeSync(
      log,
      `\n----- ${new Date().toISOString()} starting ${this.name}: ${this.spec.command} -----\n`,
    );
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env ?? process.env,
      stdio: ['ignore', log, log],
      detached: true,
    });
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        fs.appendFileSync(this.spec.logFile, `\n${this.name} could not start: ${error.message}\n`);
      });
      child.once('close', (code, signal) => {
        fs.appendFileSync(
          this.spec.logFile,
          `\n----- ${new Date().toISOString()} ${this.name} exited (code ${code}, signal ${signal}) -----\n`,
        );
        const status = { code, signal };
        if (!this.expectingExit) this.onUnexpectedExit(this, status);
        resolve(status);
      });
    });
  }

  /** Sends `signal`, waits up to `timeoutMs`, then SIGKILL. Answers the exit status. */
  async stop(signal = 'SIGTERM', timeoutMs = 25_000) {
    if (!this.running) return this.exited;
    this.expectingExit = true;
    this.child?.kill(signal);
    const status = await Promise.race([this.exited, sleep(timeoutMs).then(() => undefined)]);
    if (status) return status;
    this.child?.kill('SIGKILL');
    return this.exited;
  }

  /** The last lines this run of the process wrote. */
  tail(lines = 40) {
    return tailOf(this.spec.logFile, lines, this.logOffset);
  }
}

/** The last `lines` lines of a file ('' when it does not exist). */
export function tailOf(file, lines = 40, fromByte = 0) {
  try {
    return fs
      .readFileSync(file)
      .subarray(fromByte)
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '';
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portAnswers(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Polls `probe` until it answers true. Throws when `timeoutMs` passes or `gaveUp()` says the
 * process it waits for is gone.
 */
export async function waitUntil(what, probe, { timeoutMs = 60_000, gaveUp = () => false } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error(`${what}: the process exited before it was ready`);
    try {
      const answer = await probe();
      if (answer === true) return;
      last = String(answer);
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(150);
  }
  throw new Error(`${what}: not ready within ${timeoutMs} ms (${last})`);
}

/** A probe for `waitUntil`: GET url answers `status`. */
export function httpAnswers(url, status = 200) {
  return async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === status ? true : `GET ${url} answered ${response.status}`;
  };
}

/** A probe for `waitUntil`: Redis answers PING on port. */
export function redisAnswers(port) {
  return () =>
    new Promise((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      let reply = '';
      socket.setTimeout(1_000);
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.on('data', (chunk) => {
        reply += chunk.toString();
        if (reply.includes('\r\n')) {
          socket.destroy();
          resolve(reply.startsWith('+PONG') ? true : `PING answered ${reply.trim()}`);
        }
      });
      socket.once('error', (error) => resolve(error.message));
      socket.once('timeout', () => {
        socket.destroy();
        resolve('PING timed out');
      });
    });
}

/** Whether a process with this pid exists (signal 0). */
export function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
