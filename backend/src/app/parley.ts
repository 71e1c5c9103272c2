/**
 * Composition root: picks the adapters for the configuration (embedded by default), wires
 * them into the core, and starts both listeners. The only place that knows every part.
 */

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import { AccountsService } from '../core/accounts/accounts-service.js';
import { AdminService } from '../core/accounts/admin-service.js';
import { ProfilesService } from '../core/accounts/profiles-service.js';
import { UserLookup } from '../core/accounts/user-lookup.js';
import { systemClock } from '../core/clock.js';
import { AwayStatus } from '../core/delivery/away-status.js';
import { ClientCommands } from '../core/delivery/client-commands.js';
import { ConnectionRecheck } from '../core/delivery/connection-recheck.js';
import { DeliveryService } from '../core/delivery/delivery-service.js';
import { DeliveryTracker } from '../core/delivery/delivery-tracker.js';
import { Hub } from '../core/delivery/hub.js';
import { Presence } from '../core/delivery/presence.js';
import { DirectMessagesService } from '../core/direct-messages/direct-messages-service.js';
import { ExclusiveLease } from '../core/duties/exclusive-lease.js';
import { PeriodicDuty } from '../core/duties/periodic-duty.js';
import { sweepOrphanBlobs } from '../core/files/blob-sweeper.js';
import { FilesService } from '../core/files/files-service.js';
import { MentionsInbox } from '../core/inbox/mentions-inbox.js';
import { housekeeping } from '../core/jobs/housekeeping.js';
import { JobProcessor } from '../core/jobs/job-processor.js';
import { JobWorker } from '../core/jobs/job-worker.js';
import { JobsService } from '../core/jobs/jobs-service.js';
import { wakeWorkersOnSubmit } from '../core/jobs/wake-workers.js';
import { MessagesService } from '../core/messages/messages-service.js';
import { PermalinksService } from '../core/messages/permalinks-service.js';
import { DEFAULT_PUSH_SERVICE_HOSTS } from '../core/push/endpoint-policy.js';
import { PushNotifier } from '../core/push/push-notifier.js';
import { PushSubscriptions } from '../core/push/push-subscriptions.js';
import { ReactionsService } from '../core/reactions/reactions-service.js';
import { ReceiptsService } from '../core/receipts/receipts-service.js';
import { ensureDefaultRoom } from '../core/rooms/default-room.js';
import { MemberCheck } from '../core/rooms/member-check.js';
import { MembersService } from '../core/rooms/members-service.js';
import { NotificationLevels } from '../core/rooms/notification-levels.js';
import { RoomsService } from '../core/rooms/rooms-service.js';
import { SearchService } from '../core/search/search-service.js';
import { ThreadsService } from '../core/threads/threads-service.js';
import { UnitOfWork } from '../core/unit-of-work.js';
import { s3DownloadOrigins } from '../http/middleware/security-headers.js';
import { createRequestListener } from '../http/request-listener.js';
import type { Services } from '../http/services.js';
import type { Logger } from '../logging/logger.js';
import { SharpAvatarImager } from '../media/sharp-avatar-imager.js';
import { SharpMediaInspector } from '../media/sharp-media-inspector.js';
import { Metrics } from '../observability/metrics.js';
import { WebPushSender } from '../push/web-push-sender.js';
import { closeRedis } from '../redis/redis-client.js';
import { OriginPolicy } from '../request-auth/origin-policy.js';
import { ProxyTrust } from '../request-auth/proxy-trust.js';
import { Argon2Hasher } from '../security/argon2-hasher.js';
import { CommonPasswordList } from '../security/common-password-list.js';
import { textFramer } from '../ws/text-framer.js';
import { WsGateway } from '../ws/ws-gateway.js';
import { openBlobStore } from './adapters/blob-store.js';
import { openConnectionRegistry } from './adapters/connection-registry.js';
import { openDatabase } from './adapters/database.js';
import { openFanOut } from './adapters/fan-out.js';
import { openLimits } from './adapters/limits.js';
import { openSharedRedis } from './adapters/redis.js';

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
const HOUSEKEEPING_MS = 60_000;
/** After the instance committing message batches dies, another takes over within about this. */
const MESSAGE_BATCHES_LEASE_MS = 10_000;
const JOB_GRACE_MS = 10_000;
/**
 * How often each instance checks its sockets' sessions and rooms against the database. With
 * Redis a lost pub/sub packet must not leave a revoked session's socket open for long; in one
 * process nothing is lost, and the check is only a backstop.
 */
const RECHECK_SCALED_OUT_MS = 5_000;
const RECHECK_EMBEDDED_MS = 60_000;
/** How often an instance looks for users whose instance died (presence `offline` within 15 s). */
const DEPARTURES_SWEEP_MS = 2_000;

const defaultWebDist = () =>
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../frontend/dist');

export async function startParley(config: Config, log: Logger): Promise<RunningParley> {
  /** Names this process among the instances that share a database (duty leases). */
  const instanceId = randomUUID();
  const { db, exclusive } = await openDatabase(config, log);
  await ensureDefaultRoom(db);
  const blobs = await openBlobStore(config, log);
  const redis = await openSharedRedis(config, log);
  const fanOut = await openFanOut(config, log, instanceId);
  const limits = openLimits(config, redis);
  const connections = openConnectionRegistry(redis, log, instanceId);
  const work = new UnitOfWork(db, fanOut);
  const hub = new Hub(fanOut, textFramer);

  // Scaled out, a removal on another instance must take effect here at once (see MemberCheck).
  const members = new MemberCheck(db, fanOut, config.redisUrl ? 0 : undefined);
  const jobs = new JobsService(db, work, blobs, limits.sends, members, {
    maxAttempts: config.jobMaxAttempts,
    maxUploadBytes: config.maxUploadBytes,
  });
  const receipts = new ReceiptsService(db);
  // Web Push: the key pair is made once per installation; the instance that commits a message
  // pushes it (its own commits only), after the commit.
  const pushSender = new WebPushSender(config.push.subject);
  const push = await PushSubscriptions.open(db, pushSender, {
    allowHttpLoopback: config.push.allowHttpLoopback,
    serviceHosts: config.push.serviceHosts.length > 0 ? config.push.serviceHosts : DEFAULT_PUSH_SERVICE_HOSTS,
  });
  const pushNotifier = new PushNotifier(
    db,
    pushSender,
    connections,
    push.keys,
    log.child({ component: 'push' }),
  );
  push.onSubscribed(() => pushNotifier.subscriptionsChanged());
  work.onCommitted((message) => {
    if (message.kind === 'room-event') pushNotifier.onCommitted(message.event);
  });
  const services: Services = {
    accounts: new AccountsService(
      db,
      work,
      new Argon2Hasher(),
      fanOut,
      { loginFailures: limits.loginFailures, registrationsPerAddress: limits.registrationsPerAddress },
      {
        sessionIdleMs: config.sessionIdleMs,
        commonPasswords: new CommonPasswordList(),
        // Scaled out, a logout on another instance must refuse the token here at once, not
        // when its pub/sub packet arrives: sessions are read from the database every time.
        ...(config.redisUrl ? { principalCacheMs: 0 } : {}),
      },
    ),
    admin: new AdminService(db, work),
    rooms: new RoomsService(db, work, members),
    members: new MembersService(db, work, connections),
    notifications: new NotificationLevels(db),
    directMessages: new DirectMessagesService(db, work),
    messages: new MessagesService(db, work, members, blobs),
    reactions: new ReactionsService(work),
    receipts,
    jobs,
    files: new FilesService(db, blobs),
    threads: new ThreadsService(db, members),
    search: new SearchService(db),
    permalinks: new PermalinksService(db, members),
    users: new UserLookup(db),
    profiles: new ProfilesService(
      db,
      work,
      blobs,
      new SharpMediaInspector(),
      new SharpAvatarImager(),
      limits.profileChanges,
    ),
    mentions: new MentionsInbox(db),
    push,
  };
  const worker = new JobWorker(
    db,
    work,
    new JobProcessor(db, work, blobs, new SharpMediaInspector(), { testFaults: config.testFaults }),
    new ExclusiveLease(db.duties, {
      name: 'message-batches',
      holderId: instanceId,
      leaseMs: Math.min(config.jobLeaseMs, MESSAGE_BATCHES_LEASE_MS),
      retryMs: 1000,
    }),
    log.child({ component: 'worker' }),
    {
      concurrency: 4,
      batchSize: 256,
      leaseMs: config.jobLeaseMs,
      pollMs: 250,
      recoveryWindowMs: exclusive ? 0 : config.jobLeaseMs,
    },
  );
  wakeWorkersOnSubmit(jobs, worker, fanOut);

  let shuttingDown = false;
  const origins = new OriginPolicy({
    allowedOrigins: config.allowedOrigins,
    development: config.env === 'development',
    httpPort: config.httpPort,
  });
  const proxyTrust = new ProxyTrust(config.trustProxy);
  const metrics = new Metrics(() => hub.connectionCount);
  fanOut.subscribe((message) => {
    if (message.kind === 'room-event') metrics.roomEvents.inc();
  });
  const handleRequest = createRequestListener({
    services,
    origins,
    proxyTrust,
    appPolicy: {
      wsPort: config.wsPort,
      allowedOrigins: config.allowedOrigins,
      imageOrigins: s3DownloadOrigins(config.s3),
    },
    metricsToken: config.metricsToken,
    metrics,
    readiness: { check: () => db.ping(), shuttingDown: () => shuttingDown },
    log: log.child({ component: 'http' }),
    maxUploadBytes: config.maxUploadBytes,
    webDistDir: config.webDistDir ?? defaultWebDist(),
  });

  const presence = new Presence(connections, fanOut);
  const deliveries = new DeliveryTracker(db, log.child({ component: 'receipts' }));
  const delivery = new DeliveryService(
    db,
    hub,
    presence,
    new ClientCommands(jobs, receipts, fanOut, new AwayStatus(hub, fanOut)),
    deliveries,
    textFramer,
    log.child({ component: 'delivery' }),
    {
      heartbeatMs: HEARTBEAT_MS,
      maxSocketsPerUser: 20,
      maxBufferedBytes: 8 * 1024 * 1024,
      instance: instanceId,
    },
  );
  const gateway = new WsGateway(
    services.accounts,
    delivery,
    origins,
    proxyTrust,
    log.child({ component: 'ws' }),
    {
      heartbeatMs: HEARTBEAT_MS,
      onSlowConsumer: () => metrics.socketsClosedSlow.inc(),
    },
  );

  const httpServer = http.createServer(handleRequest);
  const wsServer = http.createServer((_req, res) => {
    res.writeHead(404, { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'This port speaks WebSocket only.' } }));
  });
  gateway.attach(httpServer, 'http');
  gateway.attach(wsServer, 'ws');

  await listen(httpServer, config.httpPort, config.host);
  await listen(wsServer, config.wsPort, config.host);
  worker.start();
  deliveries.start(1000);
  const duties = [
    new PeriodicDuty(
      db.duties,
      async () => {
        const removed = await sweepOrphanBlobs(db, blobs, ORPHAN_GRACE_MS);
        if (removed.length > 0) log.info({ removed: removed.length }, 'orphaned blobs removed');
      },
      log,
      { name: 'orphan-blob-sweep', holderId: instanceId, everyMs: ORPHAN_SWEEP_MS, firstAfterMs: 60_000 },
    ),
    new PeriodicDuty(
      db.duties,
      async () => {
        const deleted = await housekeeping(db, {
          jobRetentionDays: config.jobRetentionDays,
          dlqRetentionDays: config.dlqRetentionDays,
        });
        if (deleted.completedJobsDeleted > 0 || deleted.failedJobsDeleted > 0) {
          log.info(deleted, 'old jobs deleted');
        }
      },
      log,
      { name: 'housekeeping', holderId: instanceId, everyMs: HOUSEKEEPING_MS, firstAfterMs: 0 },
    ),
  ];
  for (const duty of duties) duty.start();
  const recheck = new ConnectionRecheck(db, hub, systemClock, config.sessionIdleMs);
  const recheckTimer = setInterval(
    () =>
      void recheck.run().then(
        (outcome) =>
          (outcome.sessionsEnded > 0 || outcome.roomsCut > 0 || outcome.roomsAdded > 0) &&
          log.info(outcome, 'the socket recheck found changes that fan-out had not delivered'),
        (error: unknown) => log.warn({ err: error }, 'rechecking live sockets failed'),
      ),
    config.redisUrl ? RECHECK_SCALED_OUT_MS : RECHECK_EMBEDDED_MS,
  );
  recheckTimer.unref();
  // Users whose sockets were all on an instance that died are announced offline by whichever
  // instance sweeps first (the registry hands each user to one sweeper).
  const departuresTimer = setInterval(
    () =>
      void presence
        .announceDeparted(async (userId) =>
          (await db.memberships.roomCursorsOf(userId)).map((room) => room.roomId),
        )
        .catch((error: unknown) => log.warn({ err: error }, 'announcing departed users failed')),
    DEPARTURES_SWEEP_MS,
  );
  departuresTimer.unref();
  const httpPort = (httpServer.address() as AddressInfo).port;
  const wsPort = (wsServer.address() as AddressInfo).port;
  log.info(
    {
      httpPort,
      wsPort,
      dataDir: config.dataDir,
      instanceId,
      database: config.databaseUrl ? 'postgresql' : 'sqlite',
    },
    'parley is listening',
  );

  return {
    httpPort,
    wsPort,
    async stop() {
      if (shuttingDown) return;
      shuttingDown = true;
      log.info({}, 'shutting down');
      clearInterval(recheckTimer);
      clearInterval(departuresTimer);
      httpServer.close();
      wsServer.close();
      await worker.stop(JOB_GRACE_MS);
      await Promise.all(duties.map((duty) => duty.stop()));
      await pushNotifier.idle();
      gateway.close();
      await deliveries.stop();
      httpServer.closeIdleConnections();
      hub.close();
      await fanOut.close();
      await connections.close();
      if (redis) await closeRedis(redis);
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
