/**
 * The WebSocket edge: authenticates upgrades on both listeners (HTTP_PORT at /ws, WS_PORT at
 * any path), checks the Origin, reads frames into typed commands, and turns refusals into
 * `error` frames. What a connection is and does lives in the core (delivery/).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES, type ErrorCode, type FrameErrorCode, LIMITS } from '@parley/protocol';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { AccountsService } from '../core/accounts/accounts-service.js';
import type { Principal } from '../core/accounts/principal.js';
import type { Connection } from '../core/delivery/connection.js';
import type { DeliveryService } from '../core/delivery/delivery-service.js';
import type { FrameSink } from '../core/delivery/frame-sink.js';
import { AppError } from '../core/errors.js';
import { credentialsOf } from '../request-auth/credentials.js';
import type { Listener, OriginPolicy } from '../request-auth/origin-policy.js';
import type { ProxyTrust } from '../request-auth/proxy-trust.js';
import { notText, type ParsedFrame, parseClientFrame, refOfFrame } from './client-frame-parser.js';

export interface GatewayLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface GatewayOptions {
  /** Transport pings find sockets whose peer vanished; session expiry is checked as often. */
  heartbeatMs: number;
  /** Counts sockets closed for not reading (metrics). */
  onSlowConsumer: () => void;
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
    private readonly delivery: DeliveryService,
    private readonly origins: OriginPolicy,
    /** TRUST_PROXY, the same compiled rule Express uses: client address and scheme of an upgrade. */
    private readonly proxyTrust: ProxyTrust,
    private readonly log: GatewayLogger,
    private readonly options: GatewayOptions,
  ) {
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
        this.log.error(
          { err: error, client: this.proxyTrust.clientAddress(req) },
          'websocket upgrade failed',
        );
        refuse(socket, 503, 'Service Unavailable');
      });
    });
  }

  /** Closes every socket with 1001 (shutdown). */
  close(): void {
    clearInterval(this.heartbeat);
    this.delivery.closeAll();
    for (const socket of this.wss.clients) socket.close(CLOSE_CODES.shuttingDown, 'server shutting down');
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, listener: Listener) {
    const origin = req.headers.origin;
    if (origin && !this.origins.isAllowed(origin, req.headers, this.proxyTrust.isSecure(req), listener)) {
      return refuse(socket, 403, 'Forbidden');
    }
    const principal = await this.authenticate(req, url);
    if (!principal) return refuse(socket, 401, 'Unauthorized');
    const resumeRequested = url.searchParams.get('resume') === '1';
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, socket, principal, resumeRequested));
  }

  private async authenticate(req: IncomingMessage, url: URL): Promise<Principal | undefined> {
    const ticket = url.searchParams.get('ticket');
    if (ticket !== null) return this.accounts.redeemWsTicket(ticket);
    const credentials = credentialsOf(req.headers);
    return credentials ? this.accounts.authenticate(credentials.token) : undefined;
  }

  private open(ws: WebSocket, socket: Duplex, principal: Principal, resumeRequested: boolean): void {
    // Admission asks every instance (the per-user cap), so it is async: listen at once, so
    // that no frame and no close that comes while it waits is lost.
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('error', (error) => this.log.warn({ err: error }, 'websocket error'));
    let closedWhileAdmitting = false;
    const onEarlyClose = () => {
      closedWhileAdmitting = true;
    };
    ws.once('close', onEarlyClose);
    const admitted = this.delivery.admit(principal, this.sinkOf(ws, socket), resumeRequested).then(
      (connection) => {
        ws.off('close', onEarlyClose);
        if (!connection) return undefined;
        if (closedWhileAdmitting) {
          this.delivery.closed(connection); // gives its place back
          return undefined;
        }
        ws.on('close', () => this.delivery.closed(connection));
        return connection;
      },
      (error: unknown) => {
        this.log.error({ err: error }, 'websocket admission failed');
        ws.close(CLOSE_CODES.shuttingDown, 'could not start');
        return undefined;
      },
    );
    // Frames that arrive before `ready` is sent wait for it, in order: `ready` is always first,
    // and a refusal (or a resume) applies to the rooms the connection really has.
    const started = admitted.then(async (connection) => {
      if (!connection) return undefined;
      try {
        await this.delivery.start(connection);
      } catch (error) {
        this.log.error({ err: error }, 'websocket start failed');
        ws.close(CLOSE_CODES.shuttingDown, 'could not start');
      }
      return connection;
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void started.then((connection) => {
        if (connection)
          return this.onFrame(connection, isBinary ? notText : parseClientFrame(data.toString()));
      });
    });
  }

  private sinkOf(ws: WebSocket, socket: Duplex): FrameSink {
    const onSlowConsumer = this.options.onSlowConsumer;
    return {
      send: (data) => ws.send(data, { binary: false }),
      // Whole frames straight to the socket `ws` writes to: `ws` has nothing half-written
      // there (no compression), and its `bufferedAmount` counts these bytes too.
      sendFramed: (bytes) => {
        if (ws.readyState === WebSocket.OPEN) socket.write(bytes);
      },
      close: (code, reason) => {
        if (code === CLOSE_CODES.tooSlow) onSlowConsumer();
        ws.close(code, reason);
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
    };
  }

  private async onFrame(connection: Connection, parsed: ParsedFrame): Promise<void> {
    if (connection.isClosed) return;
    const ref = refOfFrame(parsed);
    if (connection.isHolding && !(parsed.ok && parsed.frame.type === 'resume')) {
      return this.delivery.refuseHeldStart(connection, ref);
    }
    if (!parsed.ok) return sendError(connection, parsed.code, parsed.message, ref);
    try {
      await this.delivery.command(connection, parsed.frame);
    } catch (error) {
      if (error instanceof AppError) return sendError(connection, error.code, error.message, ref);
      this.log.error({ err: error }, 'frame handling failed');
      sendError(connection, 'internal', 'Something went wrong; try again.', ref);
    }
  }

  private sweep(): void {
    this.delivery.closeExpiredSessions();
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

function sendError(
  connection: Connection,
  code: ErrorCode | FrameErrorCode,
  message: string,
  ref: string | undefined,
): void {
  connection.send({ type: 'error', code, message, ...(ref === undefined ? {} : { ref }) });
}

function refuse(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\nContent-Length: 0\r\n\r\n`,
  );
}
