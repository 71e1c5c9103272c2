/**
 * Composition root: picks the adapters for the configuration (embedded by default), wires
 * them into the core, and starts both listeners. The only place that knows every part.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import { AccountsService } from '../core/accounts/accounts-service.js';
import { AdminService } from '../core/accounts/admin-service.js';
import { ClientCommands } from '../core/delivery/client-commands.js';
import { DeliveryService } from '../core/delivery/delivery-service.js';
import { DeliveryTracker } from '../core/delivery/delivery-tracker.js';
import { Hub } from '../core/delivery/hub.js';
import { Presence } from '../core/delivery/presence.js';
import { DirectMessagesService } from '../core/direct-messages/direct-messages-service.js';
import { sweepOrphanBlobs } from '../core/files/blob-sweeper.js';
import { FilesService } from '../core/files/files-service.js';
import { JobProcessor } from '../core/jobs/job-processor.js';
import { JobWorker } from '../core/jobs/job-worker.js';
import { JobsService } from '../core/jobs/jobs-service.js';
import { MessagesService } from '../core/messages/messages-service.js';
import {
  type FailureLimiter,
  neverBlocked,
  type RateLimiter,
  unlimited,
} from '../core/ports/rate-limiter.js';
import { ReceiptsService } from '../core/receipts/receipts-service.js';
import { ensureDefaultRoom } from '../core/rooms/default-room.js';
import { MemberCheck } from '../core/rooms/member-check.js';
import { MembersService } from '../core/rooms/members-service.js';
import { RoomsService } from '../core/rooms/rooms-service.js';
import { UnitOfWork } from '../core/unit-of-work.js';
import { InProcessFanOut } from '../fanout/in-process-fan-out.js';
import { createHttpApp } from '../http/http-app.js';
import type { Services } from '../http/services.js';
import type { Logger } from '../logging/logger.js';
import { SharpMediaInspector } from '../media/sharp-media-inspector.js';
import { Metrics } from '../observability/metrics.js';
import { OriginPolicy } from '../request-auth/origin-policy.js';
import { Argon2Hasher } from '../security/argon2-hasher.js';
import { MemoryFailureLimiter } from '../security/memory-failure-limiter.js';
import { MemoryRateLimiter } from '../security/memory-rate-limiter.js';
import { LocalBlobStore } from '../storage/local-disk/local-blob-store.js';
import { openSqlite } from '../storage/sqlite/open-sqlite.js';
import { textFramer } from '../ws/text-framer.js';
import { WsGateway } from '../ws/ws-gateway.js';

export interface RunningParley {
  httpPort: number;
  wsPort: number;
  /** Stops accepting, finishes or hands back in-flight work, closes sockets with 1001. */
  stop(): Promise<void>;
}

const HEARTBEAT_MS = 25_000;
/** Blobs younger than this are never swept: an upload may still be on its way to its job. */
const ORPHAN_GRACE_MS = 3600_000;
const ORPHAN_SWEEP_MS = 3600_000;
const JOB_GRACE_MS = 10_000;

const defaultWebDist = () =>
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../frontend/dist');

function limiter(perMinute: number, windowSeconds: number): RateLimiter {
  return perMinute > 0 ? new MemoryRateLimiter(perMinute, windowSeconds) : unlimited;
}

const LOGIN_WINDOW_SECONDS = 15 * 60;

/** LOGIN_MAX_FAILURES per username, and ten times that per client address, within 15 minutes. */
function loginFailureLimits(maxFailures: number): {
  perUsername: FailureLimiter;
  perAddress: FailureLimiter;
} {
  if (maxFailures === 0) return { perUsername: neverBlocked, perAddress: neverBlocked };
  return {
    perUsername: new MemoryFailureLimiter(maxFailures, LOGIN_WINDOW_SECONDS),
    perAddress: new MemoryFailureLimiter(maxFailures * 10, LOGIN_WINDOW_SECONDS),
  };
}

export async function startParley(config: Config, log: Logger): Promise<RunningParley> {
  if (config.databaseUrl || config.redisUrl || config.s3Bucket) {
    log.warn({}, 'DATABASE_URL, REDIS_URL and S3_* are not supported yet; running on the embedded default');
  }
  const db = await openSqlite(config.dataDir);
  await ensureDefaultRoom(db);
  // One process owns the SQLite file, so whatever was processing when it last stopped is orphaned.
  await db.jobs.expireLeases(new Date(0).toISOString());

  const blobs = new LocalBlobStore(config.dataDir);
  const fanOut = new InProcessFanOut();
  const work = new UnitOfWork(db, fanOut);
  const hub = new Hub(fanOut, textFramer);

  const members = new MemberCheck(db, fanOut);
  const jobs = new JobsService(db, work, blobs, limiter(config.rateLimitSendsPerMinute, 60), members, {
    maxAttempts: config.jobMaxAttempts,
    maxUploadBytes: config.maxUploadBytes,
  });
  const receipts = new ReceiptsService(db);
  const services: Services = {
    accounts: new AccountsService(db, work, new Argon2Hasher(), fanOut, {
      loginFailures: loginFailureLimits(config.loginMaxFailures),
      registrationsPerAddress: limiter(config.registrationsPerHourPerAddress, 3600),
    }),
    admin: new AdminService(db, work),
    rooms: new RoomsService(db, work, members),
    members: new MembersService(db, work),
    directMessages: new DirectMessagesService(db, work),
    messages: new MessagesService(db, work, members, blobs),
    receipts,
    jobs,
    files: new FilesService(db, blobs),
  };
  const worker = new JobWorker(
    db,
    work,
    new JobProcessor(db, work, blobs, new SharpMediaInspector(), { testFaults: config.testFaults }),
    log.child({ component: 'worker' }),
    { concurrency: 4, batchSize: 256, leaseMs: 30_000, pollMs: 250 },
  );
  jobs.onSubmitted = () => worker.wake();

  let shuttingDown = false;
  const origins = new OriginPolicy({
    allowedOrigins: config.allowedOrigins,
    development: config.env === 'development',
    httpPort: config.httpPort,
  });
  const metrics = new Metrics(() => hub.connectionCount);
  fanOut.subscribe((message) => {
    if (message.kind === 'room-event') metrics.roomEvents.inc();
  });
  const app = createHttpApp({
    services,
    origins,
    metrics,
    readiness: { check: () => db.ping(), shuttingDown: () => shuttingDown },
    log: log.child({ component: 'http' }),
    maxUploadBytes: config.maxUploadBytes,
    webDistDir: config.webDistDir ?? defaultWebDist(),
  });

  const deliveries = new DeliveryTracker(db, log.child({ component: 'receipts' }));
  const delivery = new DeliveryService(
    db,
    hub,
    new Presence(fanOut),
    new ClientCommands(jobs, receipts, fanOut),
    deliveries,
    textFramer,
    log.child({ component: 'delivery' }),
    { heartbeatMs: HEARTBEAT_MS, maxSocketsPerUser: 20, maxBufferedBytes: 8 * 1024 * 1024 },
  );
  const gateway = new WsGateway(services.accounts, delivery, origins, log.child({ component: 'ws' }), {
    heartbeatMs: HEARTBEAT_MS,
    onSlowConsumer: () => metrics.socketsClosedSlow.inc(),
  });

  const httpServer = http.createServer(app);
  const wsServer = http.createServer((_req, res) => {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'This port speaks WebSocket only.' } }));
  });
  gateway.attach(httpServer, 'http');
  gateway.attach(wsServer, 'ws');

  await listen(httpServer, config.httpPort, config.host);
  await listen(wsServer, config.wsPort, config.host);
  worker.start();
  deliveries.start(1000);
  const sweep = () =>
    sweepOrphanBlobs(db, blobs, ORPHAN_GRACE_MS).then(
      (removed) => removed.length > 0 && log.info({ removed: removed.length }, 'orphaned blobs removed'),
      (error: unknown) => log.warn({ err: error }, 'sweeping orphaned blobs failed'),
    );
  const firstSweep = setTimeout(sweep, 60_000);
  const sweeps = setInterval(sweep, ORPHAN_SWEEP_MS);
  firstSweep.unref();
  sweeps.unref();
  const httpPort = (httpServer.address() as AddressInfo).port;
  const wsPort = (wsServer.address() as AddressInfo).port;
  log.info({ httpPort, wsPort, dataDir: config.dataDir }, 'parley is listening');

  return {
    httpPort,
    wsPort,
    async stop() {
      if (shuttingDown) return;
      shuttingDown = true;
      clearTimeout(firstSweep);
      clearInterval(sweeps);
      log.info({}, 'shutting down');
      httpServer.close();
      wsServer.close();
      await worker.stop(JOB_GRACE_MS);
      gateway.close();
      await deliveries.stop();
      httpServer.closeIdleConnections();
      hub.close();
      await fanOut.close();
      await db.close();
      httpServer.closeAllConnections();
      wsServer.closeAllConnections();
      log.info({}, 'stopped');
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
