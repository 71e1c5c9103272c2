/**
 * Load-generating worker for HTTP: a closed loop of `connections` requests in flight over
 * keep-alive connections (undici), recording each request's latency and status.
 */
import { Pool } from 'undici';
import { Histogram, nowUs } from '../histogram.js';
import { serveWorker } from '../processes.js';

export interface HttpLoadArgs {
  origin: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Appends `&before=<random 2..max>` to each request (deep history pages). */
  randomBeforeMax?: number;
  connections: number;
  durationMs: number;
  /** Stop early after this many requests (latency runs). */
  maxRequests?: number;
  /** Sends each request with its own `Idempotency-Key`, as the web app does with every send. */
  idempotencyKeys?: boolean;
}

async function run(args: HttpLoadArgs) {
  const pool = new Pool(args.origin, { connections: args.connections, pipelining: 1 });
  const latency = new Histogram();
  const statuses: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = started + args.durationMs;
  const keyPrefix = `bench-${process.pid}-${Date.now().toString(36)}`;
  const lane = async () => {
    while (performance.now() < deadline && (args.maxRequests === undefined || issued < args.maxRequests)) {
      issued++;
      const path =
        args.randomBeforeMax === undefined
          ? args.path
          : `${args.path}&before=${2 + Math.floor(Math.random() * (args.randomBeforeMax - 1))}`;
      const at = nowUs();
      try {
        const res = await pool.request({
          method: args.method,
          path,
          headers: args.idempotencyKeys
            ? { ...args.headers, 'Idempotency-Key': `${keyPrefix}-${issued}` }
            : args.headers,
          ...(args.body === undefined ? {} : { body: args.body }),
        });
        await res.body.arrayBuffer();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode < 300) {
          ok++;
          latency.record(nowUs() - at);
        } else failed++;
      } catch (error) {
        failed++;
        const key = error instanceof Error ? error.message.slice(0, 60) : 'error';
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: args.connections }, lane));
  const durationMs = performance.now() - started;
  await pool.close();
  return { ok, failed, statuses, durationMs, histogram: latency.toJSON() };
}

serveWorker({ run: (args: HttpLoadArgs) => run(args) });
