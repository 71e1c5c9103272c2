/**
 * What every HTTP request goes through before any route, on both edges (the Express app and the
 * lean `POST /jobs` edge): counted and logged when its answer is sent, and refused while the
 * server shuts down.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../core/errors.js';
import type { Metrics } from '../observability/metrics.js';
import type { Readiness } from './routes/ops-routes.js';

export interface RequestLog {
  debug(obj: object, msg: string): void;
}

/** Counts the request by method and status class, and logs it at debug, once it is answered. */
export function observeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: Metrics,
  log: RequestLog,
): void {
  res.on('finish', () => {
    metrics.httpRequests.inc({
      method: req.method ?? '',
      status: `${Math.floor(res.statusCode / 100)}xx`,
    });
    // Express's originalUrl is the url as node received it.
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url;
    log.debug({ method: req.method, url, status: res.statusCode }, 'request');
  });
}

/**
 * While the server shuts down, every request but the liveness probe is a 503 that asks the client
 * to come back in 2 s, on a connection that then closes (so a balancer or keep-alive client moves
 * to another instance).
 */
export function refuseWhileShuttingDown(readiness: Readiness, pathname: string, res: ServerResponse): void {
  if (!readiness.shuttingDown() || pathname.startsWith('/healthz')) return;
  res.setHeader('Connection', 'close');
  const error = new AppError('unavailable', 'The server is shutting down; try again shortly.');
  error.retryAfterSeconds = 2;
  throw error;
}
