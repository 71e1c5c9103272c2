/**
 * Process plumbing: free ports, child processes (servers and load-generating workers), and
 * their CPU time and resident memory read from /proc.
 */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { freePort } from '../../scripts/free-ports.mjs';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(benchDir, '..');
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far; with its ended, waited-for children's. */
export function cpuSecondsOf(pid: number, withReapedChildren = false): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  const reaped = withReapedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
  return (own + reaped) / CLOCK_TICKS;
}

/**
 * Write-type system calls (write, writev) a process has made so far (`syscw` of /proc/<pid>/io):
 * on a fan-out server, how many pieces the bytes leave in.
 */
export function writeSyscallsOf(pid: number): number {
  const match = /syscw:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

export function rssBytesOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export function openFilesOf(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/**
 * `pid` and every process below it (nginx's workers under its master, PostgreSQL's backends
 * under the postmaster), from the parent ids in /proc/<pid>/stat.
 */
export function processTreeOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // It ended while we looked.
    }
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** Resident memory of a process and everything below it (shared pages counted in each). */
export function treeRssBytesOf(pid: number): number {
  let sum = 0;
  for (const member of processTreeOf(pid)) {
    try {
      sum += rssBytesOf(member);
    } catch {
      // It ended while we looked.
    }
  }
  return sum;
}

/**
 * Measures the CPU a set of processes uses between `start` and `stop`, as % of one core. Counted
 * per process, so that a set that changes meanwhile (PostgreSQL's backends come and go) never
 * goes negative: a process that appeared counts all its time, one that ended counts nothing
 * itself. `reapers` (a postmaster) also count the time of their children that ended and were
 * waited for (cutime + cstime), which brings an ended backend's time back, whole.
 */
export class CpuMeter {
  private startCpu = new Map<number, number>();
  private startAt = 0;
  constructor(
    private readonly pids: () => number[],
    private readonly reapers: () => number[] = () => [],
  ) {}
  start(): void {
    this.startCpu = this.sample();
    this.startAt = performance.now();
  }
  stopPercent(): number {
    return this.stop().percent;
  }
  /** CPU seconds used since `start`, and as % of one core over the wall time. */
  stop(): { cpuSeconds: number; percent: number } {
    const seconds = (performance.now() - this.startAt) / 1000;
    let cpuSeconds = 0;
    for (const [pid, cpu] of this.sample()) cpuSeconds += cpu - (this.startCpu.get(pid) ?? 0);
    return { cpuSeconds, percent: seconds > 0 ? Math.round((cpuSeconds / seconds) * 100) : 0 };
  }
  private sample(): Map<number, number> {
    const reapers = new Set(this.reapers());
    const cpu = new Map<number, number>();
    for (const pid of new Set([...this.pids(), ...reapers])) {
      try {
        cpu.set(pid, cpuSecondsOf(pid, reapers.has(pid)));
      } catch {
        // The process ended: its time is no longer counted.
      }
    }
    return cpu;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A check that never settles (a request the server accepted and never answered) counts as a
    // failed one once the time is up: the deadline holds whatever the check does.
    const left = Math.max(0, deadline - Date.now());
    const passed = await Promise.race([check().catch(() => false), sleep(left).then(() => false)]);
    if (passed) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  await res.arrayBuffer();
  return res.ok;
}

/** A TypeScript file of this package run as a child process that says 'ready' over IPC. */
export function forkTs(file: string, args: string[]): Promise<ChildProcess> {
  const child = fork(path.join(benchDir, 'src', file), args, {
    cwd: benchDir,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
}

export function stopProcess(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/**
 * How long a worker may take to answer one call (BENCH_WORKER_CALL_TIMEOUT_MS): generous by
 * default, for a full run's slowest calls (connecting 10,000 members takes minutes); the smoke
 * tests set 90 s, so a worker that never answers fails the run with the call's name.
 */
const callTimeoutMs = Number(process.env.BENCH_WORKER_CALL_TIMEOUT_MS ?? 20 * 60_000);

/** A load-generating worker process, driven by request/response messages over IPC. */
export class Worker {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: string | undefined;

  constructor(private readonly file: string) {
    this.child = fork(path.join(benchDir, 'src', 'workers', file), [], {
      cwd: benchDir,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: Reply) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(message.error));
    });
    this.child.on('exit', (code, signal) => {
      this.exited = `worker ${file} exited (${code ?? signal})`;
      for (const waiter of this.pending.values()) waiter.reject(new Error(this.exited));
      this.pending.clear();
    });
    // A send to a worker that has gone fails through 'exit' above, not as an uncaught error.
    this.child.on('error', () => {});
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  call<T>(command: string, args: object = {}): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.exited} before ${command}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new Error(
            `worker ${this.file} (pid ${this.pid}) gave no answer to ${command} in ${callTimeoutMs / 1000} s`,
          ),
        );
      }, callTimeoutMs);
      const settle =
        <V>(then: (value: V) => void) =>
        (value: V) => {
          clearTimeout(timer);
          then(value);
        };
      this.pending.set(id, { resolve: settle(resolve as (v: unknown) => void), reject: settle(reject) });
      this.child.send({ id, command, args });
    });
  }

  stop(): Promise<void> {
    return stopProcess(this.child, 5_000);
  }
}

/** The worker side of `Worker`: answers each request with its handler's result. */
export function serveWorker(handlers: Record<string, (args: never) => unknown>): void {
  process.on('message', async (message: { id: number; command: string; args: never }) => {
    const handler = handlers[message.command];
    try {
      if (!handler) throw new Error(`unknown command ${message.command}`);
      const value = await handler(message.args);
      process.send?.({ id: message.id, ok: true, value });
    } catch (error) {
      process.send?.({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
  process.on('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
}
