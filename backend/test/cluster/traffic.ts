/**
 * What the cluster tests do with traffic: people who keep sending (retrying with the same
 * Idempotency-Key as a real client does when an answer is lost), and people who keep reading a
 * room over sockets that may die and be resumed from their cursor.
 */
import type { Job, RoomEvent } from '@parley/protocol';
import { expect } from 'vitest';
import {
  type Account,
  type ConnectOptions,
  connectSocket,
  request,
  roomEvents,
  type Socket,
  waitForJob,
} from '../support/client.js';
import type { TestServer } from '../support/server.js';

type Target = Pick<TestServer, 'httpUrl'>;
type SocketTarget = Pick<TestServer, 'wsUrl' | 'wsPortUrl'>;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` until it holds; throws with `what` (and `detail()`) when `timeoutMs` passes. */
export async function eventually(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(50);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms. ${detail()}`);
}

export interface Submission {
  key: string;
  text: string;
  job: Job;
}

/** Every answer that was not a 202, by status ("network" when there was none). */
export type Refusals = Map<string, number>;

/**
 * POST /jobs a message with `key`, retrying the same request when the answer is lost (no
 * answer, 502 from the balancer, 409 idempotency_in_progress) or says to come back (503).
 * Anything else fails the test.
 */
export async function submitWithRetries(
  target: Target,
  account: Account,
  roomId: string,
  text: string,
  key: string,
  refusals: Refusals,
  deadlineMs = 60_000,
): Promise<Submission> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    let status = 'network';
    try {
      const response = await request<{ job: Job }>(target, '/jobs', {
        token: account.token,
        json: { type: 'message', roomId, text },
        headers: { 'idempotency-key': key },
      });
      if (response.status === 202) return { key, text, job: response.body.job };
      status = String(response.status);
      if (![502, 503, 504, 409].includes(response.status)) {
        throw new Error(`POST /jobs "${text}" answered ${response.status}: ${response.text.slice(0, 500)}`);
      }
    } catch (error) {
      if (status !== 'network') throw error;
    }
    refusals.set(status, (refusals.get(status) ?? 0) + 1);
    if (Date.now() > deadline)
      throw new Error(`POST /jobs "${text}" was not accepted within ${deadlineMs} ms`);
    await sleep(150);
  }
}

/**
 * `senders` each submit `perSender` messages one after the other through `targets` (in turn),
 * calling `onAccepted` after each 202. Texts are `<prefix> <sender>-<n>`.
 */
export async function sendLoad(options: {
  targets: Target[];
  senders: Account[];
  roomId: string;
  perSender: number;
  prefix: string;
  refusals: Refusals;
  pauseMs?: number;
  onAccepted?: (submission: Submission) => void;
}): Promise<Submission[]> {
  const all: Submission[] = [];
  await Promise.all(
    options.senders.map(async (sender, s) => {
      for (let n = 0; n < options.perSender; n += 1) {
        const target = options.targets[(s + n) % options.targets.length] as Target;
        const text = `${options.prefix} ${s}-${n}`;
        const submission = await submitWithRetries(
          target,
          sender,
          options.roomId,
          text,
          `${options.prefix}-${s}-${n}`,
          options.refusals,
        );
        all.push(submission);
        options.onAccepted?.(submission);
        if (options.pauseMs) await sleep(options.pauseMs);
      }
    }),
  );
  return all;
}

/** Waits until every submission's job is completed (polling as its sender); answers the jobs. */
export async function allCompleted(senderOf: (submission: Submission) => Account, submissions: Submission[]) {
  const jobs: Job[] = [];
  for (const submission of submissions) {
    const job = await waitForJob(senderOf(submission), submission.job.id, 30_000);
    expect(job.status, `job of "${submission.text}": ${JSON.stringify(job)}`).toBe('completed');
    jobs.push(job);
  }
  return jobs;
}

/**
 * Someone reading one room: every event of that room it received, over all its connections
 * in turn. `reconnect` resumes from the last seq received, the way the web app does.
 */
export class Reader {
  private readonly connections: Socket[] = [];
  /** The room's lastSeq when the first connection was ready: the events start after it. */
  readonly startSeq: number;

  private constructor(
    readonly name: string,
    readonly account: Account,
    readonly roomId: string,
    first: Socket,
  ) {
    this.connections.push(first);
    this.startSeq = first.ready.rooms.find((room) => room.roomId === roomId)?.lastSeq ?? 0;
  }

  static async open(
    name: string,
    target: SocketTarget,
    account: Account,
    roomId: string,
    options: ConnectOptions = {},
  ): Promise<Reader> {
    return new Reader(name, account, roomId, await connectSocket(target, account.token, options));
  }

  get socket(): Socket {
    return this.connections.at(-1) as Socket;
  }

  /** Every event of the room received so far, over every connection, in arrival order. */
  events(): RoomEvent[] {
    return this.connections.flatMap((socket) => roomEvents(socket, this.roomId));
  }

  lastSeq(): number {
    return this.events().at(-1)?.seq ?? this.startSeq;
  }

  /** Whether the current connection was closed (by either side). */
  async isClosed(): Promise<boolean> {
    return Promise.race([this.socket.closed.then(() => true), sleep(0).then(() => false)]);
  }

  /** Opens a new connection with `?resume=1` and resumes the room from the last seq received. */
  async reconnect(target: SocketTarget, options: ConnectOptions = {}): Promise<void> {
    const socket = await connectSocket(target, this.account.token, { ...options, resume: true });
    socket.send({ type: 'resume', cursors: { [this.roomId]: this.lastSeq() } });
    this.connections.push(socket);
  }

  /** Texts of the `message.created` events received (duplicates kept). */
  texts(): string[] {
    return this.events().flatMap((event) =>
      event.type === 'message.created' ? [(event.data as { message: { text: string } }).message.text] : [],
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.connections.map((socket) => socket.close()));
  }

  /** Asserts what the contract promises: after startSeq, every seq up to `lastSeq` once, in order. */
  expectGaplessUpTo(lastSeq: number): void {
    const seqs = this.events().map((event) => event.seq);
    const expected = Array.from({ length: lastSeq - this.startSeq }, (_, i) => this.startSeq + 1 + i);
    expect(seqs, `${this.name}: the room's seqs after ${this.startSeq}, each once and in order`).toEqual(
      expected,
    );
  }
}

/** The texts in `log` that start with `prefix`, counted. */
export function messageCounts(log: RoomEvent[], prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of log) {
    if (event.type !== 'message.created') continue;
    const text = (event.data as { message: { text: string } }).message.text;
    if (text.startsWith(prefix)) counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return counts;
}
