/** The Express application: every REST route of the contract, errors in its shape. */
import express, { type Express } from 'express';
import { AppError } from '../core/errors.js';
import type { Metrics } from '../observability/metrics.js';
import type { OriginPolicy } from '../request-auth/origin-policy.js';
import type { ProxyTrust } from '../request-auth/proxy-trust.js';
import { errorHandler, type HttpErrorLogger } from './error-response.js';
import { authenticate } from './middleware/authenticate.js';
import { cors } from './middleware/cors.js';
import { type AppPolicyOptions, appDocumentHeaders, securityHeaders } from './middleware/security-headers.js';
import { observeRequest, refuseWhileShuttingDown } from './request-gate.js';
import { adminRoutes } from './routes/admin-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { dmRoutes } from './routes/dm-routes.js';
import { fileRoutes } from './routes/file-routes.js';
import { inboxRoutes } from './routes/inbox-routes.js';
import { jobRoutes } from './routes/job-routes.js';
import { memberRoutes } from './routes/member-routes.js';
import { messageRoutes } from './routes/message-routes.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { opsRoutes, type Readiness } from './routes/ops-routes.js';
import { profileRoutes } from './routes/profile-routes.js';
import { reactionRoutes } from './routes/reaction-routes.js';
import { roomRoutes } from './routes/room-routes.js';
import { searchRoutes } from './routes/search-routes.js';
import { threadRoutes } from './routes/thread-routes.js';
import { userRoutes } from './routes/user-routes.js';
import type { Services } from './services.js';
import { webAppRoutes } from './web-app.js';

export interface HttpAppOptions {
  services: Services;
  origins: OriginPolicy;
  /** TRUST_PROXY: which proxies' X-Forwarded-For/-Proto Express believes (req.ip, req.secure). */
  proxyTrust: ProxyTrust;
  /** What the web app's Content-Security-Policy lets it load and connect to. */
  appPolicy: AppPolicyOptions;
  /** METRICS_TOKEN. */
  metricsToken: string | undefined;
  metrics: Metrics;
  readiness: Readiness;
  log: HttpErrorLogger & { debug(obj: object, msg: string): void };
  maxUploadBytes: number;
  webDistDir: string | undefined;
}

export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // The compiled TRUST_PROXY, shared with the WebSocket edge (by default a balancer on this
  // machine, as npm run start:cluster's nginx, names the client in X-Forwarded-For).
  app.set('trust proxy', options.proxyTrust.trust);
  // First, so that every answer carries them, refusals and errors included.
  app.use(securityHeaders());

  app.use((req, res, next) => {
    observeRequest(req, res, options.metrics, options.log);
    refuseWhileShuttingDown(options.readiness, req.path, res);
    next();
  });
  app.use(opsRoutes(options.readiness, options.metrics, { metricsToken: options.metricsToken }));
  app.use(cors(options.origins));
  // POST /jobs parses its own (larger) JSON bodies: base64 files.
  const parseJson = express.json({ limit: '1mb' });
  app.use((req, res, next) => (req.path === '/jobs' ? next() : parseJson(req, res, next)));
  app.use(authenticate(options.services.accounts, options.origins));
  // The busiest routes first: Express tries every route in order, so each one in front of
  // POST /jobs or a history page is paid for on every request.
  app.use(jobRoutes(options.services, { maxUploadBytes: options.maxUploadBytes }));
  app.use(messageRoutes(options.services));
  app.use(threadRoutes(options.services));
  app.use(reactionRoutes(options.services));
  app.use(searchRoutes(options.services));
  app.use(inboxRoutes(options.services));
  app.use(roomRoutes(options.services));
  app.use(authRoutes(options.services, options.origins, { maxUploadBytes: options.maxUploadBytes }));
  app.use(memberRoutes(options.services));
  app.use(notificationRoutes(options.services));
  app.use(dmRoutes(options.services));
  app.use(fileRoutes(options.services));
  app.use(adminRoutes(options.services));
  app.use(userRoutes(options.services));
  app.use(profileRoutes(options.services));

  const web = options.webDistDir
    ? webAppRoutes(options.webDistDir, appDocumentHeaders(options.appPolicy))
    : undefined;
  if (web) app.use(web);

  app.use(() => {
    throw new AppError('not_found', 'No such endpoint.');
  });
  app.use(errorHandler(options.log));
  return app;
}
