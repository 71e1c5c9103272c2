import { createHash, timingSafeEqual } from 'node:crypto';
import { type Request, Router } from 'express';
import { AppError, unauthenticated } from '../../core/errors.js';
import type { Metrics } from '../../observability/metrics.js';

export interface Readiness {
  /** Resolves when every dependency answers; rejects otherwise. */
  check(): Promise<void>;
  shuttingDown(): boolean;
}

export interface OpsOptions {
  /** METRICS_TOKEN: /metrics then needs it as a bearer token; undefined: loopback clients only. */
  metricsToken: string | undefined;
}

export function opsRoutes(readiness: Readiness, metrics: Metrics, options: OpsOptions): Router {
  const router = Router();
  const mayReadMetrics = metricsGuard(options.metricsToken);

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    if (readiness.shuttingDown()) throw unavailable('Shutting down.');
    try {
      await readiness.check();
    } catch (error) {
      throw unavailable('A dependency is not reachable.', error);
    }
    res.json({ status: 'ready' });
  });

  router.get('/metrics', async (req, res) => {
    mayReadMetrics(req);
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  return router;
}

/**
 * Who may read /metrics. With a token: whoever presents it (compared in constant time), 401 to
 * others. Without: only a client on this machine, judged by the socket's own peer address (never
 * X-Forwarded-For), and not a request a local balancer forwarded (it names a client elsewhere);
 * others get the 404 of an unknown endpoint.
 */
function metricsGuard(token: string | undefined): (req: Request) => void {
  if (token !== undefined) {
    const expected = digest(token);
    return (req) => {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      // Equal-length digests: timingSafeEqual neither throws nor leaks the token's length.
      if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
        throw unauthenticated('/metrics needs its bearer token.');
      }
    };
  }
  return (req) => {
    const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
    if (forwarded || !isLoopback(req.socket.remoteAddress)) {
      throw new AppError('not_found', 'No such endpoint.');
    }
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function unavailable(message: string, cause?: unknown): AppError {
  const error = new AppError('unavailable', message, undefined, { cause });
  error.retryAfterSeconds = 5;
  return error;
}
