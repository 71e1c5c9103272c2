/**
 * What a user (or a script) does against a running Parley server: register, call the REST API,
 * send messages, open a WebSocket. Every helper fails loudly with the server's answer when the
 * server does not do what the contract says; none retries or swallows an error.
 */
import type { ErrorBody, Job, Message, Room, RoomEvent, ServerFrame, User } from '@parley/protocol';
import WebSocket from 'ws';
import type { TestServer } from './server.js';
import { sleep } from './server.js';

type Target = Pick<TestServer, 'httpUrl'>;

/** No request of a test takes longer: a hanging server fails the test with a clear message. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body (undefined when the body is empty or not JSON). */
  body: T;
  /** The raw body text. */
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A value to send as JSON (sets `Content-Type: application/json`). */
  json?: unknown;
  /** A raw body (string, FormData, Blob, bytes): sent as is. */
  body?: string | FormData | Blob | Uint8Array;
  /** A session token to send as `Authorization: Bearer`. */
  token?: string;
}

/** One HTTP request to the server; answers `{status, headers, body, text}` for any status. */
export async function request<T = unknown>(
  server: Target,
  pathOrUrl: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | FormData | Blob | Uint8Array | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const url = new URL(pathOrUrl, server.httpUrl);
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body as RequestInit['body'],
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new Error(`${method} ${url.pathname}: the server did not answer within ${REQUEST_TIMEOUT_MS} ms`);
    }
    throw error;
  }
  let parsed: unknown;
  if (text !== '' && (response.headers.get('content-type') ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(
        `${options.method ?? 'GET'} ${url.pathname} answered invalid JSON: ${text.slice(0, 500)}`,
      );
    }
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** Throws, showing the whole answer, unless the response has the expected status. */
export function expectStatus<T>(response: ApiResponse<T>, status: number, what = 'request'): ApiResponse<T> {
  if (response.status !== status) {
    throw new Error(
      `${what}: expected HTTP ${status}, got ${response.status}: ${response.text.slice(0, 2000)}`,
    );
  }
  return response;
}

/** The REST API as one signed-in user (Bearer token). */
export function api(server: Target, token: string) {
  const call =
    (method: string) =>
    <T = unknown>(path: string, json?: unknown, headers?: Record<string, string>) =>
      request<T>(server, path, { method, token, json, headers });
  return {
    get: <T = unknown>(path: string, headers?: Record<string, string>) =>
      request<T>(server, path, { method: 'GET', token, headers }),
    post: call('POST'),
    patch: call('PATCH'),
    put: call('PUT'),
    delete: <T = unknown>(path: string, headers?: Record<string, string>) =>
      request<T>(server, path, { method: 'DELETE', token, headers }),
    /** Any request, with this user's token. */
    request: <T = unknown>(path: string, options: Omit<RequestOptions, 'token'> = {}) =>
      request<T>(server, path, { ...options, token }),
  };
}

export type Api = ReturnType<typeof api>;

export interface Account {
  user: User;
  token: string;
  username: string;
  password: string;
  /** `name=value` of the session cookie set by register, ready for a `Cookie` header. */
  cookie: string;
  api: Api;
}

let nameCounter = 0;

/** A username no other test uses: `<base>-<pid><counter><random>`, at most 32 characters. */
export function uniqueName(base = 'user'): string {
  nameCounter += 1;
  const suffix = `${process.pid.toString(36)}${nameCounter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return `${base.slice(0, 31 - suffix.length)}-${suffix}`.toLowerCase();
}

/** Signs up a new user (201 expected) and returns the account with its token and cookie. */
export async function register(
  server: Target,
  username = uniqueName(),
  extra: { password?: string; displayName?: string } = {},
): Promise<Account> {
  const password = extra.password ?? `pw-${Math.random().toString(36).slice(2)}-long`;
  const response = await request<{ user: User; token: string }>(server, '/auth/register', {
    json: {
      username,
      password,
      ...(extra.displayName !== undefined ? { displayName: extra.displayName } : {}),
    },
  });
  expectStatus(response, 201, `register ${username}`);
  const { user, token } = response.body;
  if (typeof token !== 'string' || !user)
    throw new Error(`register answered without user/token: ${response.text}`);
  return {
    user,
    token,
    username: user.username,
    password,
    cookie: sessionCookie(response.headers),
    api: api(server, token),
  };
}

/** `name=value` of the first Set-Cookie header ('' when there is none). */
export function sessionCookie(headers: Headers): string {
  const first = headers.getSetCookie()[0];
  return first ? (first.split(';')[0] ?? '').trim() : '';
}

/** The error body of a refused request, asserting its shape `{error: {code, message}}`. */
export function errorOf(response: ApiResponse): ErrorBody['error'] {
  const body = response.body as Partial<ErrorBody> | undefined;
  const error = body?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') {
    throw new Error(
      `expected an error body {error:{code,message}}, got ${response.status}: ${response.text}`,
    );
  }
  return error;
}

/** The `details.fields[].path` list of a validation_failed answer. */
export function fieldPaths(response: ApiResponse): string[] {
  const fields = errorOf(response).details?.fields;
  if (!Array.isArray(fields)) throw new Error(`validation error without details.fields: ${response.text}`);
  return fields.map((field) => field.path);
}

// ---------- rooms, jobs and messages ----------

export async function listRooms(account: Account): Promise<Room[]> {
  const response = expectStatus(await account.api.get<{ rooms: Room[] }>('/rooms'), 200, 'GET /rooms');
  return response.body.rooms;
}

/** The default public room (`slug: general`). */
export async function generalRoom(account: Account): Promise<Room> {
  const room = (await listRooms(account)).find((candidate) => candidate.slug === 'general');
  if (!room) throw new Error(`GET /rooms has no room with slug "general"`);
  return room;
}

export async function getRoom(account: Account, roomId: string): Promise<Room> {
  const response = await account.api.get<{ room: Room }>(`/rooms/${roomId}`);
  return expectStatus(response, 200, `GET /rooms/${roomId}`).body.room;
}

/** Creates a room (201 expected). */
export async function createRoom(
  account: Account,
  body: { name: string; visibility: 'public' | 'private'; slug?: string; topic?: string },
): Promise<Room> {
  const response = await account.api.post<{ room: Room }>('/rooms', body);
  return expectStatus(response, 201, 'POST /rooms').body.room;
}

/** Submits a message job (202 expected) and returns the queued job. */
export async function submitMessage(
  account: Account,
  roomId: string,
  text: string,
  options: { replyTo?: string; idempotencyKey?: string } = {},
): Promise<Job> {
  const headers = options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : undefined;
  const response = await account.api.post<{ job: Job }>(
    '/jobs',
    { type: 'message', roomId, text, ...(options.replyTo ? { replyTo: options.replyTo } : {}) },
    headers,
  );
  return expectStatus(response, 202, `POST /jobs "${text.slice(0, 40)}"`).body.job;
}

/** Polls `GET /jobs/:id` until the job is completed or failed (or the time is up: then throws). */
export async function waitForJob(account: Account, jobId: string, timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  let last: Job | undefined;
  while (Date.now() < deadline) {
    const response = expectStatus(
      await account.api.get<{ job: Job }>(`/jobs/${jobId}`),
      200,
      `GET /jobs/${jobId}`,
    );
    last = response.body.job;
    if (last.status === 'completed' || last.status === 'failed') return last;
    await sleep(50);
  }
  throw new Error(`job ${jobId} did not finish within ${timeoutMs} ms; last state ${JSON.stringify(last)}`);
}

/** Waits for a job and asserts it completed with a result. */
export async function waitForCompletion(
  account: Account,
  jobId: string,
  timeoutMs?: number,
): Promise<Job & { result: { messageId: string; seq: number } }> {
  const job = await waitForJob(account, jobId, timeoutMs);
  if (job.status !== 'completed' || !job.result) {
    throw new Error(`job ${jobId} did not complete: ${JSON.stringify(job)}`);
  }
  return job as Job & { result: { messageId: string; seq: number } };
}

/** Posts a message the way the web app does (a job) and waits until it is in the room. */
export async function postMessage(
  account: Account,
  roomId: string,
  text: string,
  options: { replyTo?: string } = {},
): Promise<{ job: Job; messageId: string; seq: number }> {
  const job = await submitMessage(account, roomId, text, options);
  const done = await waitForCompletion(account, job.id);
  return { job: done, messageId: done.result.messageId, seq: done.result.seq };
}

/** Reads a room's messages page (200 expected). */
export async function messagesPage(
  account: Account,
  roomId: string,
  query = '',
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const response = await account.api.get<{ messages: Message[]; hasMore: boolean }>(
    `/rooms/${roomId}/messages${query}`,
  );
  return expectStatus(response, 200, `GET /rooms/${roomId}/messages${query}`).body;
}

/** The whole log of a room, page by page (200 expected for each page). */
export async function wholeLog(account: Account, roomId: string): Promise<RoomEvent[]> {
  const all: RoomEvent[] = [];
  for (;;) {
    const path = `/rooms/${roomId}/events?after=${all.at(-1)?.seq ?? 0}&limit=200`;
    const response = await account.api.get<{ events: RoomEvent[]; hasMore: boolean }>(path);
    const page = expectStatus(response, 200, `GET ${path}`).body;
    all.push(...page.events);
    if (!page.hasMore) return all;
    if (page.events.length === 0) throw new Error(`${path} said hasMore with an empty page`);
  }
}

// ---------- WebSocket ----------

type ReadyFrame = Extract<ServerFrame, { type: 'ready' }>;

export interface Closed {
  code: number;
  reason: string;
}

export interface Socket {
  readonly ws: WebSocket;
  readonly ready: ReadyFrame;
  /** Every frame received, in order (including `ready`). */
  readonly frames: ServerFrame[];
  /** Resolves when the connection is closed (by either side). */
  readonly closed: Promise<Closed>;
  /**
   * The earliest frame not yet returned by `next` that matches `predicate`, waiting for it if
   * needed. Rejects after `timeoutMs`, or at once if the connection closes first.
   */
  next<F extends ServerFrame = ServerFrame>(
    predicate: (frame: ServerFrame) => boolean,
    timeoutMs?: number,
    description?: string,
  ): Promise<F>;
  /** Sends a frame (an object is sent as JSON, a string as is). */
  send(frame: object | string): void;
  /** Closes from the client side and waits for the close to complete. */
  close(): Promise<Closed>;
}

export interface ConnectOptions {
  /** Open with `?resume=1`. */
  resume?: boolean;
  /** Which listener: the HTTP port's `/ws` (default) or the dedicated WS_PORT. */
  via?: 'http' | 'wsPort';
  /** Extra handshake headers (e.g. `Origin`). */
  headers?: Record<string, string>;
}

/** Opens an authenticated WebSocket and waits for its first frame, which must be `ready`. */
export async function connectSocket(
  server: Pick<TestServer, 'wsUrl' | 'wsPortUrl'>,
  token: string | null,
  options: ConnectOptions = {},
): Promise<Socket> {
  const url = new URL(options.via === 'wsPort' ? server.wsPortUrl : server.wsUrl);
  if (options.resume) url.searchParams.set('resume', '1');
  const headers: Record<string, string> = { ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return openSocket(url.toString(), headers);
}

/** The sockets a test file opens, all closed at its end (the server is read when connecting). */
export class SocketPool {
  private readonly open: Socket[] = [];

  constructor(private readonly server: () => Pick<TestServer, 'wsUrl' | 'wsPortUrl'>) {}

  /** Opens an authenticated socket (see `connectSocket`) and keeps it for `closeAll`. */
  async connect(account: { token: string }, options: ConnectOptions = {}): Promise<Socket> {
    return this.keep(await connectSocket(this.server(), account.token, options));
  }

  /** Keeps sockets opened another way, so that they are closed at the end too. */
  keep<S extends Socket>(socket: S): S {
    this.open.push(socket);
    return socket;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((socket) => socket.close()));
  }
}

/** Opens a WebSocket on `url` with `headers`, collecting frames, and waits for `ready`. */
export async function openSocket(url: string, headers: Record<string, string> = {}): Promise<Socket> {
  const ws = new WebSocket(url, { headers });
  const frames: ServerFrame[] = [];
  const taken = new Set<number>();
  const waiters = new Set<() => void>();
  let closeInfo: Closed | undefined;
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  let socketError: Error | undefined;
  ws.on('error', (error) => {
    socketError = error;
  });
  const closed = new Promise<Closed>((resolve) => {
    ws.on('close', (code, reason) => {
      closeInfo = {
        code,
        reason: reason.toString() || (socketError ? `(error: ${socketError.message})` : ''),
      };
      resolve(closeInfo);
      wake();
    });
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) throw new Error('the server sent a binary frame; all frames must be JSON text');
    frames.push(JSON.parse(data.toString()) as ServerFrame);
    wake();
  });

  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => {
      reject(new Error(`WebSocket upgrade to ${url} refused with HTTP ${response.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });

  const next = <F extends ServerFrame = ServerFrame>(
    predicate: (frame: ServerFrame) => boolean,
    timeoutMs = 5_000,
    description = predicate.toString(),
  ): Promise<F> =>
    new Promise<F>((resolve, reject) => {
      const check = () => {
        const index = frames.findIndex((frame, i) => !taken.has(i) && predicate(frame));
        if (index >= 0) {
          taken.add(index);
          finish();
          resolve(frames[index] as F);
          return;
        }
        if (closeInfo) {
          finish();
          reject(
            new Error(
              `socket closed (${closeInfo.code} ${closeInfo.reason}) while waiting for ${description}; frames: ${recent()}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no frame matching ${description} within ${timeoutMs} ms; frames: ${recent()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  const recent = () =>
    frames
      .slice(-15)
      .map((frame) => JSON.stringify(frame).slice(0, 300))
      .join('\n  ');

  const first = await next(() => true, 5_000, 'the first frame');
  if (first.type !== 'ready') throw new Error(`the first frame must be ready, got ${JSON.stringify(first)}`);

  return {
    ws,
    ready: first,
    frames,
    closed,
    next,
    send(frame) {
      ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    async close() {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
      return closed;
    },
  };
}

/** Tries a WebSocket upgrade that should be refused; answers the HTTP status (or throws if it opened). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      ws.terminate();
    });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error(`WebSocket upgrade to ${url} was accepted, expected a refusal`));
    });
    ws.on('error', (error) => reject(error));
  });
}

/** Event frames of one room, in the order received. */
export function roomEvents(socket: Socket, roomId: string) {
  return socket.frames.flatMap((frame) =>
    frame.type === 'event' && frame.event.roomId === roomId ? [frame.event] : [],
  );
}

/** A predicate for `next`: an event of `type` in `roomId` (optionally also matching `extra`). */
export function isEvent(roomId: string, type: string, extra: (frame: ServerFrame) => boolean = () => true) {
  return (frame: ServerFrame) =>
    frame.type === 'event' && frame.event.roomId === roomId && frame.event.type === type && extra(frame);
}
