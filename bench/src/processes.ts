/**
 * Process plumbing: free ports, child processes (servers and load-generating workers), and
 * their CPU time and resident memory read from /proc.
 */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(benchDir, '..');
const CLOCK_TICKS = 100; // USER_HZ on Linux

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export function rssBytesOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export function openFilesOf(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** Measures the CPU a set of processes uses between `start` and `stop`, as % of one core. */
export class CpuMeter {
  private startCpu = 0;
  private startAt = 0;
  constructor(private readonly pids: () => number[]) {}
  start(): void {
    this.startCpu = this.total();
    this.startAt = performance.now();
  }
  stopPercent(): number {
    const seconds = (performance.now() - this.startAt) / 1000;
    return seconds > 0 ? Math.round(((this.total() - this.startCpu) / seconds) * 100) : 0;
  }
  private total(): number {
    let sum = 0;
    for (const pid of this.pids()) {
      try {
        sum += cpuSecondsOf(pid);
      } catch {
        // The process ended: its time is no longer counted.
      }
    }
    return sum;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url);
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

/** A load-generating worker process, driven by request/response messages over IPC. */
export class Worker {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(file: string) {
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
    this.child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`worker ${file} exited (${code})`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  call<T>(command: string, args: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
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
