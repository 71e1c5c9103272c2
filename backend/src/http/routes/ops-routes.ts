import { Router } from 'express';
import { AppError } from '../../core/errors.js';
import type { Metrics } from '../../observability/metrics.js';

export interface Readiness {
  /** Resolves when every dependency answers; rejects otherwise. */
  check(): Promise<void>;
  shuttingDown(): boolean;
}

export function opsRoutes(readiness: Readiness, metrics: Metrics): Router {
  const router = Router();

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

  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  return router;
}

function unavailable(message: string, cause?: unknown): AppError {
  const error = new AppError('unavailable', message, undefined, { cause });
  error.retryAfterSeconds = 5;
  return error;
}
