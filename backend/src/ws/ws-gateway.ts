/**
 * The WebSocket edge: authenticates upgrades on both listeners (HTTP_PORT at /ws, WS_PORT at
 * any path), checks the Origin, and connects each socket to the delivery core.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES, LIMITS } from '@parley/protocol';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { AccountsService } from '../core/accounts/accounts-service.js';
import type { Principal } from '../core/accounts/principal.js';
import type { ClientFrameHandler } from '../core/delivery/client-frames.js';
import { Connection, type ConnectionOptions, type EventReader } from '../core/delivery/connection.js';
import type { DeliveryTracker } from '../core/delivery/delivery-tracker.js';
import type { Hub } from '../core/delivery/hub.js';
import type { Database } from '../core/ports/database.js';
import type { FanOut } from '../core/ports/fan-out.js';
import { credentialsOf } from '../http/middleware/authenticate.js';
import type { Listener, OriginPolicy } from '../http/origin-policy.js';
import { textFramer } from './text-framer.js';

export interface GatewayLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface GatewayOptions {
  heartbeatMs: number;
  /** Counts sockets closed for not reading (metrics). */
  onSlowConsumer: () => void;
  maxSocketsPerUser: number;
  maxBufferedBytes: number;
}

export class WsGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.frameMaxBytes,
    perMessageDeflate: false,
    clientTracking: true,
  });
  private readonly heartbeat: NodeJS.Timeout;
  private readonly alive = new WeakSet<WebSocket>();

  constructor(
    private readonly accounts: AccountsService,
    private readonly db: Database,
    private readonly hub: Hub,
    private readonly fanOut: FanOut,
    private readonly frames: ClientFrameHandler,
    private readonly origins: OriginPolicy,
    private readonly deliveries: DeliveryTracker,
    private readonly log: GatewayLogger,
    private readonly options: GatewayOptions,
  ) {
    // Transport-level pings find sockets whose peer vanished without a close.
    this.heartbeat = setInterval(() => this.sweep(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Handles upgrades on a server: HTTP_PORT only at /ws, WS_PORT at any path. */
  attach(server: Server, listener: Listener): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (listener === 'http' && url.pathname !== '/ws') return refuse(socket, 404, 'Not Found');
      this.upgrade(req, socket, head, url, listener).catch((error: unknown) => {
        this.log.error({ err: error }, 'websocket upgrade failed');
        refuse(socket, 503, 'Service Unavailable');
      });
    });
  }

  get connectionCount(): number {
    return this.wss.clients.size;
  }

  /** Closes every socket with 1001 (shutdown). */
  close(): void {
    clearInterval(this.heartbeat);
    this.hub.closeAll(CLOSE_CODES.shuttingDown, 'server shutting down');
    for (const socket of this.wss.clients) socket.close(CLOSE_CODES.shuttingDown, 'server shutting down');
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, listener: Listener) {
    const origin = req.headers.origin;
    const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
    if (origin && !this.origins.isAllowed(origin, req.headers, encrypted, listener)) {
      return refuse(socket, 403, 'Forbidden');
    }
    const principal = await this.authenticate(req, url);
    if (!principal) return refuse(socket, 401, 'Unauthorized');
    const resumeRequested = url.searchParams.get('resume') === '1';
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.open(ws, socket, principal, resumeRequested).catch((error: unknown) => {
        this.log.error({ err: error }, 'websocket start failed');
        ws.close(CLOSE_CODES.shuttingDown, 'could not start');
      });
    });
  }

  private async authenticate(req: IncomingMessage, url: URL): Promise<Principal | undefined> {
    const ticket = url.searchParams.get('ticket');
    if (ticket !== null) return this.accounts.redeemWsTicket(ticket);
    const credentials = credentialsOf(req.headers);
    return credentials ? this.accounts.authenticate(credentials.token) : undefined;
  }

  private async open(
    ws: WebSocket,
    socket: Duplex,
    principal: Principal,
    resumeRequested: boolean,
  ): Promise<void> {
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    const connection = new Connection(
      {
        send: (data) => ws.send(data, { binary: false }),
        // Whole frames straight to the socket `ws` writes to: `ws` has nothing half-written
        // there (no compression), and its `bufferedAmount` counts these bytes too.
        sendFramed: (bytes) => {
          if (ws.readyState === WebSocket.OPEN) socket.write(bytes);
        },
        close: (code, reason) => {
          if (code === CLOSE_CODES.tooSlow) this.options.onSlowConsumer();
          ws.close(code, reason);
        },
        get bufferedAmount() {
          return ws.bufferedAmount;
        },
      },
      principal,
      this.readEvents,
      this.log,
      this.connectionOptions(resumeRequested, principal.user.id),
    );
    if (this.hub.connectionsOf(principal.user.id) >= this.options.maxSocketsPerUser) {
      ws.close(CLOSE_CODES.policy, 'too many sockets for this user');
      return;
    }
    const wasOnline = this.hub.connectionsOf(principal.user.id) > 0;
    this.hub.register(connection);

    let holdTimer: NodeJS.Timeout | undefined;
    // Frames that arrive before `ready` is sent wait for it, in order: `ready` is always first,
    // and a refusal (or a resume) applies to the rooms the connection really has.
    let started!: () => void;
    const ready = new Promise<void>((resolve) => {
      started = resolve;
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void ready.then(() => this.onFrame(connection, data, isBinary, () => clearTimeout(holdTimer)));
    });
    ws.on('close', () => {
      clearTimeout(holdTimer);
      connection.markClosed();
      const roomIds = connection.roomIds();
      this.hub.unregister(connection);
      if (this.hub.connectionsOf(principal.user.id) === 0) {
        this.fanOut.publish({ kind: 'presence', userId: principal.user.id, status: 'offline', roomIds });
      }
    });
    ws.on('error', (error) => this.log.warn({ err: error }, 'websocket error'));

    const rooms = await this.db.memberships.roomCursorsOf(principal.user.id);
    if (connection.isClosed) return;
    connection.start(rooms);
    this.hub.started(connection);
    started();
    if (resumeRequested) {
      holdTimer = setTimeout(() => {
        if (connection.isHolding) this.frames.refuseHeldStart(connection, undefined);
      }, LIMITS.resumeWaitMs);
    }
    if (!wasOnline) {
      this.fanOut.publish({
        kind: 'presence',
        userId: principal.user.id,
        status: 'online',
        roomIds: connection.roomIds(),
      });
    }
  }

  private onFrame(connection: Connection, data: RawData, isBinary: boolean, stopHoldTimer: () => void): void {
    if (connection.isClosed) return;
    if (connection.isHolding) stopHoldTimer();
    if (!isBinary) {
      void this.frames.handle(connection, data.toString());
    } else if (connection.isHolding) {
      this.frames.refuseHeldStart(connection, undefined);
    } else {
      connection.sendEncoded(
        JSON.stringify({ type: 'error', code: 'invalid_json', message: 'Frames must be JSON text.' }),
      );
    }
  }

  private readonly readEvents: EventReader = (roomId, afterSeq, limit) =>
    this.db.events.listAfterAsStored(roomId, afterSeq, limit);

  private connectionOptions(resumeRequested: boolean, userId: string): ConnectionOptions {
    return {
      onDelivered: (roomId, seq) => this.deliveries.record(userId, roomId, seq),
      resumeRequested,
      heartbeatMs: this.options.heartbeatMs,
      maxBufferedBytes: this.options.maxBufferedBytes,
      catchUpHighWaterBytes: Math.min(1024 * 1024, this.options.maxBufferedBytes / 4),
      catchUpPageSize: 500,
      framer: textFramer,
    };
  }

  private sweep(): void {
    this.hub.closeExpiredSessions(new Date().toISOString());
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
