import { CLOSE_CODES, type ClientFrame, type ServerFrame } from '@parley/protocol';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff';
import { SOCKET_OPEN, type SocketFactory, type SocketLike, type WakeSource } from './SocketLike';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';

export interface ConnectionManagerOptions {
  /** WebSocket URL; `ticket` and `resume=1` are appended. */
  wsBase: string;
  /** POST /auth/ws-ticket. A rejection whose `status` is 401 ends the session. */
  getTicket: () => Promise<string>;
  /** The rooms loaded so far and the last seq seen in each: sent as the first frame. */
  getCursors: () => Record<string, number>;
  onFrame: (frame: ServerFrame) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** The server ended the session (close 4001, or the ticket was refused with 401). */
  onSessionEnded: () => void;
  createSocket: SocketFactory;
  /** Online/visibility notifications; none in tests unless given. */
  wakeSource?: WakeSource;
  random?: () => number;
  backoff?: BackoffOptions;
  /** How long a socket may take from creation to `ready` before it is given up. */
  connectTimeoutMs?: number;
}

/**
 * Keeps one live WebSocket: ticket, `?resume=1` handshake, heartbeats, and reconnection with
 * exponential backoff and jitter (immediately on `online` or when the tab becomes visible).
 * Every socket it gives up is abandoned for good: its late frames and close events are ignored.
 */
export class ConnectionManager {
  private socket: SocketLike | null = null;
  /** Bumped for every connection attempt; async steps of older attempts check it and stop. */
  private generation = 0;
  private attempt = 0;
  private status: ConnectionStatus = 'offline';
  private running = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private awaitingPong = false;
  private pingCounter = 0;
  private unsubscribeWake: (() => void) | undefined;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private readonly connectTimeoutMs: number;

  constructor(private readonly options: ConnectionManagerOptions) {
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  }

  get currentStatus(): ConnectionStatus {
    return this.status;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribeWake = this.options.wakeSource?.(
      () => this.wake(),
      () => this.dropConnection(),
    );
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.unsubscribeWake?.();
    this.unsubscribeWake = undefined;
    this.clearRetry();
    this.abandonSocket(1000, 'client stopped');
    this.setStatus('offline');
  }

  /** Sends a frame on the live socket; false when there is none (the caller may retry later). */
  send(frame: ClientFrame): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== SOCKET_OPEN || this.status !== 'connected') return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  /** Reconnects now if not connected (back online, tab visible, or a "retry" click). */
  wake(): void {
    if (!this.running) return;
    if (this.status === 'connected' || (this.status === 'connecting' && this.retryTimer === undefined))
      return;
    this.clearRetry();
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.clearRetry();
    const generation = ++this.generation;
    this.setStatus('connecting');
    let ticket: string;
    try {
      ticket = await this.options.getTicket();
    } catch (error) {
      if (generation !== this.generation || !this.running) return;
      if (statusOf(error) === 401) {
        this.endSession();
      } else {
        this.scheduleRetry();
      }
      return;
    }
    if (generation !== this.generation || !this.running) return;

    const separator = this.options.wsBase.includes('?') ? '&' : '?';
    const url = `${this.options.wsBase}${separator}ticket=${encodeURIComponent(ticket)}&resume=1`;
    let socket: SocketLike;
    try {
      socket = this.options.createSocket(url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    this.connectTimer = setTimeout(() => {
      if (this.socket === socket && this.status !== 'connected') this.dropConnection();
    }, this.connectTimeoutMs);

    socket.onopen = () => {
      if (this.socket !== socket) return;
      // With ?resume=1 the server holds room events back until this first frame.
      socket.send(
        JSON.stringify({ type: 'resume', cursors: this.options.getCursors() } satisfies ClientFrame),
      );
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      const frame = parseFrame(event.data);
      if (frame) this.handleFrame(frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopTimers();
      if (event.code === CLOSE_CODES.sessionEnded) {
        this.endSession();
      } else {
        this.scheduleRetry();
      }
    };
    socket.onerror = () => {
      // A close event always follows; reconnection is decided there.
    };
  }

  private handleFrame(frame: ServerFrame): void {
    if (frame.type === 'ready') {
      this.attempt = 0;
      clearTimeout(this.connectTimer);
      this.startHeartbeat(frame.heartbeatMs);
      this.setStatus('connected');
    } else if (frame.type === 'pong') {
      this.awaitingPong = false;
    }
    this.options.onFrame(frame);
  }

  private startHeartbeat(heartbeatMs: number): void {
    clearInterval(this.heartbeatTimer);
    this.awaitingPong = false;
    if (!Number.isFinite(heartbeatMs) || heartbeatMs <= 0) return;
    this.heartbeatTimer = setInterval(() => {
      if (this.awaitingPong) {
        // No pong within a whole heartbeat: the connection is dead even if the socket says open.
        this.dropConnection();
        return;
      }
      this.awaitingPong = true;
      this.pingCounter += 1;
      this.send({ type: 'ping', ref: `hb-${this.pingCounter}` });
    }, heartbeatMs);
  }

  /** Gives up the current socket (if any) and schedules the next attempt. */
  private dropConnection(): void {
    if (!this.running) return;
    this.abandonSocket(4000, 'connection lost');
    this.scheduleRetry();
  }

  private abandonSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    this.generation += 1;
    this.stopTimers();
    if (!socket) return;
    try {
      socket.close(code, reason);
    } catch {
      // Closing a socket that never opened may throw in some browsers; it is abandoned either way.
    }
  }

  private scheduleRetry(): void {
    if (!this.running) return;
    this.clearRetry();
    this.setStatus('offline');
    const delay = backoffDelay(this.attempt, this.random, this.backoff);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  private endSession(): void {
    this.running = false;
    this.unsubscribeWake?.();
    this.unsubscribeWake = undefined;
    this.clearRetry();
    this.abandonSocket(1000, 'session ended');
    this.setStatus('offline');
    this.options.onSessionEnded();
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private stopTimers(): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.connectTimer);
    this.heartbeatTimer = undefined;
    this.connectTimer = undefined;
    this.awaitingPong = false;
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}

function parseFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { type?: unknown }).type === 'string'
    ) {
      return value as ServerFrame;
    }
  } catch {
    // Not JSON: ignored, as the server would do with ours.
  }
  return null;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const status = (error as { status: unknown }).status;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}
