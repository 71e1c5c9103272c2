/**
 * The lean edge of the busiest route: `POST /jobs` with a plain JSON body (plain-json-body.ts) is
 * answered by this node `http` handler, in front of the Express app, without Express's router,
 * middleware chain, request/response prototypes or body-parser (most of a request's CPU time
 * before it; docs/performance.md "A lean POST /jobs edge"). It runs the same checks, in the same
 * order, through the same functions as the Express app:
 *
 *   security headers → counted/logged on finish → shutdown gate → CORS headers → caller
 *   (bearer or cookie + origin check) → 401 without one → body limit 413 → JSON 400 →
 *   validation 400 → Idempotency-Key 400 → 202, and errors by error-response.ts#answerError.
 *
 * Everything else (multipart uploads, preflights, other content types or encodings, other
 * routes) falls through to Express untouched: the decision is taken from the request line and
 * headers alone, before anything is written or read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { unauthenticated } from '../core/errors.js';
import type { Metrics } from '../observability/metrics.js';
import type { OriginPolicy } from '../request-auth/origin-policy.js';
import type { ProxyTrust } from '../request-auth/proxy-trust.js';
import { answerError, type HttpErrorLogger } from './error-response.js';
import { answerSubmission, jobJsonLimit, submitJsonJob } from './job-submission.js';
import { resolveCaller } from './middleware/authenticate.js';
import { setCorsHeaders } from './middleware/cors.js';
import { baseSecurityHeaders } from './middleware/security-headers.js';
import { plainJsonLength, readPlainJsonBody } from './plain-json-body.js';
import { observeRequest, type RequestLog, refuseWhileShuttingDown } from './request-gate.js';
import type { Readiness } from './routes/ops-routes.js';
import type { Services } from './services.js';

export interface LeanJobRouteOptions {
  services: Services;
  origins: OriginPolicy;
  proxyTrust: ProxyTrust;
  metrics: Metrics;
  readiness: Readiness;
  log: HttpErrorLogger & RequestLog;
  maxUploadBytes: number;
}

/** Returns a handler that answers the requests it takes on (true) and leaves the rest (false). */
export function leanJobRoute(
  options: LeanJobRouteOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const limit = jobJsonLimit(options.maxUploadBytes);
  const securityHeaders = baseSecurityHeaders();

  async function submit(req: IncomingMessage, res: ServerResponse, declaredLength: number): Promise<void> {
    // Express's req.secure: TLS, or X-Forwarded-Proto from a trusted proxy (TRUST_PROXY).
    const secure = options.proxyTrust.isSecure(req);
    securityHeaders(res, secure);
    observeRequest(req, res, options.metrics, options.log);
    refuseWhileShuttingDown(options.readiness, '/jobs', res);
    setCorsHeaders(req, res, options.origins);
    const caller = await resolveCaller(options.services.accounts, options.origins, {
      method: req.method,
      headers: req.headers,
      secure,
    });
    if (!caller) throw unauthenticated();
    const body = await readPlainJsonBody(req, declaredLength, limit);
    answerSubmission(res, await submitJsonJob(options.services.jobs, caller.principal, body, req.headers));
  }

  return (req, res) => {
    if (req.method !== 'POST' || !isJobsPath(req.url)) return false;
    const declaredLength = plainJsonLength(req.headers);
    if (declaredLength === undefined) return false;
    submit(req, res, declaredLength).catch((error: unknown) => answerError(options.log, error, req, res));
    return true;
  };
}

/** `/jobs`, with or without a query string (which the route ignores, as Express's does). */
function isJobsPath(url: string | undefined): boolean {
  return url === '/jobs' || (url?.startsWith('/jobs?') ?? false);
}
