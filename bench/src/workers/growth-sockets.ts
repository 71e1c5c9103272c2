/**
 * Load-generating worker for the growth workloads: Parley sockets that time their own
 * connect-to-`ready`, stay open and count what they are sent by frame type (and room event
 * type); and typists that send a `typing` frame on every simulated keystroke.
 */
import WebSocket from 'ws';
import { Histogram } from '../histogram.js';
import { serveWorker, sleep } from '../processes.js';

interface ConnectArgs {
  url: string;
  /** One bearer token per socket. */
  tokens: string[];
  /** Handshakes in flight at once: 1 times each connect on a quiet server. */
  concurrency: number;
  localAddresses: string[];
  timeoutMs: number;
}

const sockets: WebSocket[] = [];
const readyLatency = new Histogram();
/** Frames received since the last reset, by `type` (room events as `event:<event type>`). */
let frames = new Map<string, number>();

const TYPE = /"type":"([a-z_.]+)"/;
/** `{"type":"event","event":{"roomId":…,"seq":…,"type":"reaction.added"` -> reaction.added */
const EVENT_TYPE = /"seq":\d+,"type":"([a-z_.]+)"/;

function count(data: Buffer): void {
  // A write may carry several frames only across sockets' gathering: ws hands us one message each.
  const text = data.toString();
  const type = TYPE.exec(text)?.[1] ?? 'unknown';
  const key = type === 'event' ? `event:${EVENT_TYPE.exec(text)?.[1] ?? 'unknown'}` : type;
  frames.set(key, (frames.get(key) ?? 0) + 1);
}

function open(args: ConnectArgs, index: number): Promise<WebSocket> {
  const token = args.tokens[index];
  const localAddress = args.localAddresses[index % args.localAddresses.length];
  const started = performance.now();
  const ws = new WebSocket(args.url, {
    headers: { Authorization: `Bearer ${token}` },
    perMessageDeflate: false,
    ...(localAddress ? { localAddress } : {}),
  });
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('ready timeout'));
    }, args.timeoutMs);
    ws.on('error', (error) => {
      clearTimeout(timer);
      if (!ready) reject(error);
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`closed ${code}`));
    });
    ws.on('message', (data: Buffer) => {
      if (!ready) {
        if (!data.includes('"type":"ready"')) return;
        ready = true;
        clearTimeout(timer);
        readyLatency.record((performance.now() - started) * 1000);
        resolve(ws);
        return;
      }
      count(data);
    });
  });
}

async function connect(args: ConnectArgs) {
  readyLatency.reset();
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const errors = new Map<string, number>();
  const lane = async () => {
    while (next < args.tokens.length) {
      const index = next++;
      try {
        sockets.push(await open(args, index));
      } catch (error) {
        failed++;
        const key = error instanceof Error ? error.message.slice(0, 80) : String(error);
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.concurrency, args.tokens.length) }, lane));
  return {
    connected: sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length,
    failed,
    errors: Object.fromEntries(errors),
    ms: performance.now() - started,
    ready: readyLatency.toJSON(),
  };
}

interface TypeArgs {
  url: string;
  /** One socket per typist. */
  tokens: string[];
  roomId: string;
  keystrokesPerSecond: number;
  durationMs: number;
}

/** Every typist presses a key `keystrokesPerSecond` times a second, each a `typing` frame. */
async function typeAtRate(args: TypeArgs) {
  const typists = await Promise.all(
    args.tokens.map(
      (token) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(args.url, {
            headers: { Authorization: `Bearer ${token}` },
            perMessageDeflate: false,
          });
          // A socket closed or never ready must fail the run, not leave it waiting forever.
          const timer = setTimeout(() => {
            ws.terminate();
            reject(new Error('typist: ready timeout'));
          }, 30_000);
          ws.once('error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
          ws.once('close', (code) => {
            clearTimeout(timer);
            reject(new Error(`typist: closed ${code} before ready`));
          });
          ws.on('message', (data: Buffer) => {
            if (!data.includes('"type":"ready"')) return;
            clearTimeout(timer);
            resolve(ws);
          });
        }),
    ),
  );
  const frame = JSON.stringify({ type: 'typing', roomId: args.roomId });
  const started = performance.now();
  let keystrokes = 0;
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed >= args.durationMs) break;
    const due = Math.floor((args.keystrokesPerSecond * elapsed) / 1000) - keystrokes / typists.length;
    for (let i = 0; i < due; i++) {
      for (const ws of typists) ws.send(frame);
      keystrokes += typists.length;
    }
    await sleep(5);
  }
  const durationMs = performance.now() - started;
  await sleep(100);
  for (const ws of typists) ws.close();
  return { keystrokes, durationMs };
}

serveWorker({
  connect: (args: ConnectArgs) => connect(args),
  typeAtRate: (args: TypeArgs) => typeAtRate(args),
  reset: () => {
    frames = new Map();
    return true;
  },
  frames: () => Object.fromEntries(frames),
  closeAll: async () => {
    for (const ws of sockets) ws.terminate();
    sockets.length = 0;
    return true;
  },
});
