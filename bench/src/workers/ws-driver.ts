/**
 * Load-generating worker for the single-socket and few-socket workloads: the fixed-rate sender
 * of fan-out, closed-loop WebSocket `send` ingest, and the catch-up client.
 */
import WebSocket from 'ws';
import { Histogram, nowUs } from '../histogram.js';
import { fakeEvent, socketUrl, stampedText, type WsTarget } from '../payload.js';
import { serveWorker, sleep } from '../processes.js';

const READY_TIMEOUT_MS = 30_000;

function openSocket(target: WsTarget, token: string | undefined, query = ''): Promise<WebSocket> {
  const ws = new WebSocket(socketUrl(target, query), {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    // A socket that stays open and never becomes ready must fail the run, not hang it.
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`${target.kind} socket not ready in ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`closed ${code}`));
    });
    const ready = (data: Buffer) => {
      if (target.kind === 'parley' && data.includes('"type":"ready"')) finish();
      else if (target.kind === 'sio' && data[0] === 48) ws.send('40');
      else if (target.kind === 'sio' && data[0] === 52 && data[1] === 48) finish();
    };
    const finish = () => {
      clearTimeout(timer);
      ws.off('message', ready);
      ws.removeAllListeners('error');
      ws.removeAllListeners('close');
      ws.on('error', () => {});
      resolve(ws);
    };
    if (target.kind === 'raw') ws.once('open', finish);
    else ws.on('message', ready);
  });
}

interface RateArgs {
  target: WsTarget;
  token?: string;
  roomId?: string;
  rate: number;
  durationMs: number;
  /** Several servers of one target (a cluster's instances): one socket each, sends in turn. */
  urls?: string[];
}

/** Sends stamped messages at a fixed rate, each stamped as it leaves. */
async function sendAtRate(args: RateArgs) {
  const urls = args.urls?.length ? args.urls : [args.target.url];
  const sockets = await Promise.all(urls.map((url) => openSocket({ ...args.target, url }, args.token)));
  if (args.target.kind === 'sio')
    for (const ws of sockets) ws.on('message', (d: Buffer) => d.length === 1 && d[0] === 50 && ws.send('3'));
  const started = performance.now();
  let sent = 0;
  let ref = 0;
  const frame = (): string => {
    const text = stampedText();
    if (args.target.kind === 'parley')
      return JSON.stringify({ type: 'send', ref: `r${++ref}`, roomId: args.roomId, text });
    if (args.target.kind === 'sio') return `42${JSON.stringify(['m', fakeEvent(text)])}`;
    return JSON.stringify(fakeEvent(text));
  };
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed >= args.durationMs) break;
    const due = Math.floor((args.rate * elapsed) / 1000) - sent;
    for (let i = 0; i < due; i++) {
      sockets[sent % sockets.length]!.send(frame());
      sent++;
    }
    await sleep(2);
  }
  const durationMs = performance.now() - started;
  await sleep(200);
  for (const ws of sockets) ws.close();
  return { sent, durationMs };
}

interface IngestArgs {
  url: string;
  token: string;
  roomId: string;
  sockets: number;
  /** Sends in flight per socket (closed loop). */
  window: number;
  durationMs: number;
}

/** Closed-loop `send` frames: each `sent` answer (the job is durably recorded) frees a slot. */
async function ingest(args: IngestArgs) {
  const target: WsTarget = { kind: 'parley', url: args.url };
  const sockets = await Promise.all(
    Array.from({ length: args.sockets }, () => openSocket(target, args.token)),
  );
  const latency = new Histogram();
  let accepted = 0;
  let refused = 0;
  let running = true;
  const started = performance.now();
  let refNo = 0;
  const inFlight = new Map<string, number>();
  const sendOne = (ws: WebSocket) => {
    const ref = `i${++refNo}`;
    inFlight.set(ref, nowUs());
    ws.send(JSON.stringify({ type: 'send', ref, roomId: args.roomId, text: `ingest ${refNo}` }));
  };
  for (const ws of sockets) {
    ws.on('message', (data: Buffer) => {
      if (data.includes('"type":"sent"') || data.includes('"type":"error"')) {
        const match = /"ref":"(i\d+)"/.exec(data.toString());
        const ref = match?.[1];
        const sentAt = ref ? inFlight.get(ref) : undefined;
        if (!ref || sentAt === undefined) return;
        inFlight.delete(ref);
        if (data.includes('"type":"sent"')) {
          accepted++;
          latency.record(nowUs() - sentAt);
        } else refused++;
        if (running) sendOne(ws);
      }
    });
    for (let i = 0; i < args.window; i++) sendOne(ws);
  }
  await sleep(args.durationMs);
  running = false;
  const durationMs = performance.now() - started;
  await sleep(300);
  for (const ws of sockets) ws.close();
  return { accepted, refused, durationMs, histogram: latency.toJSON() };
}

interface CatchUpArgs {
  url: string;
  token: string;
  roomId: string;
  cursor: number;
  lastSeq: number;
  timeoutMs: number;
}

/** Opens with ?resume=1, resumes from `cursor`, and times the arrival of `lastSeq`. */
async function catchUp(args: CatchUpArgs) {
  const started = performance.now();
  const ws = new WebSocket(`${args.url}?resume=1`, {
    headers: { Authorization: `Bearer ${args.token}` },
    perMessageDeflate: false,
  });
  const last = Buffer.from(`"seq":${args.lastSeq},"type"`);
  return new Promise<{ ms: number; fromResumeMs: number; events: number }>((resolve, reject) => {
    let resumedAt = 0;
    let events = 0;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`catch-up timed out after ${events} events`));
    }, args.timeoutMs);
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      if (resumedAt === 0 && data.includes('"type":"ready"')) {
        resumedAt = performance.now();
        ws.send(JSON.stringify({ type: 'resume', cursors: { [args.roomId]: args.cursor } }));
        return;
      }
      if (!data.includes('"type":"event"')) return;
      events++;
      if (data.includes(last)) {
        const now = performance.now();
        clearTimeout(timer);
        ws.terminate();
        resolve({ ms: now - started, fromResumeMs: now - resumedAt, events });
      }
    });
  });
}

serveWorker({
  sendAtRate: (args: RateArgs) => sendAtRate(args),
  ingest: (args: IngestArgs) => ingest(args),
  catchUp: (args: CatchUpArgs) => catchUp(args),
});
