/**
 * A peer in a process of its own, for SQLite: each process has its own connection to the file,
 * and processes really run at the same time, waiting for each other's locks the way separate
 * instances on one file would (better-sqlite3 is synchronous, so peers in one thread could not).
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreLocation } from '../store-location.js';
import { type Peer, PeerOperationError } from './peer.js';
import type { PeerCommand, PeerReply, PeerRequest } from './peer-messages.js';
import type { OperationArgs, OperationName, OperationResult } from './peer-operations.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BACKEND_DIR = path.resolve(HERE, '../../..');
const PROGRAM = path.join(HERE, 'peer-process.ts');
const READY_TIMEOUT_MS = 30_000;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export class ChildProcessPeer implements Peer {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: PeerReply) => {
      if (reply.kind === 'ready') return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.kind === 'done') waiting?.resolve(reply.result);
      else waiting?.reject(new PeerOperationError(reply.message, reply.code));
    });
    child.on('exit', (code, signal) => {
      for (const waiting of this.pending.values()) {
        waiting.reject(new Error(`peer process ${child.pid} exited (code ${code}, signal ${signal})`));
      }
      this.pending.clear();
    });
  }

  static async start(): Promise<ChildProcessPeer> {
    // TypeScript through tsx, and the workspace packages from source, as the server runs in tests.
    const child = fork(PROGRAM, [], {
      cwd: BACKEND_DIR,
      execArgv: ['--conditions=source', '--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('peer process did not start in time')),
        READY_TIMEOUT_MS,
      );
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`peer process exited before it was ready (code ${code})`));
      });
    });
    return new ChildProcessPeer(child);
  }

  async open(location: StoreLocation): Promise<void> {
    await this.request({ kind: 'open', location });
  }

  run<N extends OperationName>(
    startAt: number,
    name: N,
    ...args: OperationArgs<N>
  ): Promise<OperationResult<N>> {
    return this.request({ kind: 'run', startAt, name, args }) as Promise<OperationResult<N>>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ kind: 'stop', id: this.nextId++ } satisfies PeerRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private request(command: PeerCommand): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...command, id } satisfies PeerRequest);
    });
  }
}
