/**
 * Load-generating worker: holds many WebSocket clients to one target (Parley, raw ws, or
 * socket.io spoken as raw engine.io frames so every target gets the same cheap client), counts
 * the stamped deliveries and records their latency.
 */
import WebSocket from 'ws';
import { Histogram, nowUs } from '../histogram.js';
import { socketUrl, stampIn, type WsTarget } from '../payload.js';
import { serveWorker } from '../processes.js';

interface ConnectArgs {
  target: WsTarget;
  /** One bearer token per socket (Parley only). */
  tokens: string[];
  count: number;
  /** Loopback source addresses to spread the sockets over (ephemeral ports per address). */
  localAddresses: string[];
  /** Handshakes in flight at once (somaxconn is 4096 here). */
  concurrency: number;
  timeoutMs: number;
  /**
   * Several servers of one target (the instances of a cluster): socket `i` goes to
   * `urls[i % urls.length]`, so the sockets spread evenly; `target.url` otherwise.
   */
  urls?: string[];
}

const sockets: WebSocket[] = [];
const latency = new Histogram();
let deliveries = 0;
let firstAtUs = 0;
let lastAtUs = 0;
/** How the bytes arrive: TCP reads ('data' events of the sockets under the WebSocket clients). */
let reads = 0;
let readBytes = 0;
let cpuAtReset = process.cpuUsage();

/** Counts the socket's reads: one counter each, far below the cost of what it measures. */
function countReads(ws: WebSocket): void {
  const socket = (ws as unknown as { _socket?: NodeJS.EventEmitter })._socket;
  socket?.on('data', (chunk: Buffer) => {
    reads++;
    readBytes += chunk.length;
  });
}

function open(args: ConnectArgs, index: number): Promise<WebSocket> {
  const { target } = args;
  const token = args.tokens[index % Math.max(1, args.tokens.length)];
  const localAddress = args.localAddresses[index % args.localAddresses.length];
  const url = args.urls?.length ? args.urls[index % args.urls.length]! : target.url;
  const ws = new WebSocket(socketUrl({ ...target, url }), {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    perMessageDeflate: false,
    ...(localAddress ? { localAddress } : {}),
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('handshake timeout'));
    }, args.timeoutMs);
    let ready = false;
    const done = () => {
      ready = true;
      clearTimeout(timer);
      countReads(ws);
      resolve(ws);
    };
    ws.on('error', (error) => {
      clearTimeout(timer);
      if (!ready) reject(error);
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`closed ${code}`));
    });
    if (target.kind === 'raw') ws.on('open', done);
    ws.on('message', (data: Buffer) => {
      if (!ready) {
        if (target.kind === 'parley' && data.includes('"type":"ready"')) done();
        else if (target.kind === 'sio' && data[0] === 48 /* 0: engine.io open */) ws.send('40');
        else if (target.kind === 'sio' && data[0] === 52 && data[1] === 48 /* 40: connected */) done();
        return;
      }
      if (target.kind === 'sio' && data.length === 1 && data[0] === 50 /* 2: ping */) {
        ws.send('3');
        return;
      }
      const stamp = stampIn(data);
      if (stamp < 0) return;
      const now = nowUs();
      latency.record(now - stamp);
      deliveries++;
      if (firstAtUs === 0) firstAtUs = now;
      lastAtUs = now;
    });
  });
}

async function connect(args: ConnectArgs) {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const errors = new Map<string, number>();
  // Sockets that reached `ready`, per entry of `urls` (one entry without it).
  const readyByUrl = Array.from({ length: Math.max(1, args.urls?.length ?? 0) }, () => 0);
  const lane = async () => {
    while (next < args.count) {
      const index = next++;
      try {
        sockets.push(await open(args, index));
        const slot = index % readyByUrl.length;
        readyByUrl[slot] = (readyByUrl[slot] ?? 0) + 1;
      } catch (error) {
        failed++;
        const key = error instanceof Error ? error.message.slice(0, 80) : String(error);
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.concurrency, args.count) }, lane));
  return {
    connected: sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length,
    failed,
    errors: Object.fromEntries(errors),
    readyByUrl,
    ms: performance.now() - started,
  };
}

serveWorker({
  connect: (args: ConnectArgs) => connect(args),
  reset: () => {
    latency.reset();
    deliveries = 0;
    firstAtUs = 0;
    lastAtUs = 0;
    reads = 0;
    readBytes = 0;
    cpuAtReset = process.cpuUsage();
    return cpuAtReset;
  },
  stats: () => ({
    deliveries,
    reads,
    readBytes,
    /** This process's CPU (user + system) since `reset`, µs. */
    cpuUs: ((usage) => usage.user + usage.system)(process.cpuUsage(cpuAtReset)),
    firstAtUs,
    lastAtUs,
    histogram: latency.toJSON(),
    open: sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length,
  }),
  closeAll: async () => {
    for (const ws of sockets) ws.terminate();
    sockets.length = 0;
    return true;
  },
});
