/**
 * The life of a client connection, whatever carries it: admitted (at most maxSocketsPerUser
 * per user, counted over every instance), registered with the hub before its rooms are read (so no event slips past it),
 * started with `ready`, held for a `resume` when asked, announced to presence, and closed when
 * its session ends or expires. The WebSocket edge (ws/ws-gateway.ts) only moves frames.
 */
import { CLOSE_CODES, type ClientFrame, LIMITS } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { type Clock, isoAt, systemClock } from '../clock.js';
import type { Database } from '../ports/database.js';
import type { ClientCommands } from './client-commands.js';
import { Connection, type ConnectionLogger } from './connection.js';
import type { DeliveryTracker } from './delivery-tracker.js';
import type { FrameSink } from './frame-sink.js';
import type { Hub } from './hub.js';
import type { Presence } from './presence.js';
import type { WireFramer } from './wire-framer.js';

export interface DeliveryOptions {
  heartbeatMs: number;
  /** This process's instance id, told to clients in `ready`. */
  instance?: string;
  maxSocketsPerUser: number;
  /** Above this many queued bytes a socket is too slow and is closed (4009). */
  maxBufferedBytes: number;
  clock?: Clock;
}

export class DeliveryService {
  private readonly holdTimers = new Map<Connection, NodeJS.Timeout>();
  private readonly clock: Clock;

  constructor(
    private readonly db: Database,
    private readonly hub: Hub,
    private readonly presence: Presence,
    private readonly commands: ClientCommands,
    private readonly deliveries: DeliveryTracker,
    private readonly framer: WireFramer,
    private readonly log: ConnectionLogger,
    private readonly options: DeliveryOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Admits a connection and registers it with the hub; undefined (and the sink closed with
   * 1008) when the user already has as many sockets as allowed, on any instance. The socket
   * may close while this waits: the caller then calls `closed`, which gives the place back.
   */
  async admit(
    principal: Principal,
    sink: FrameSink,
    resumeRequested: boolean,
  ): Promise<Connection | undefined> {
    const userId = principal.user.id;
    const connection = new Connection(sink, principal, this.readEvents, this.log, {
      onDelivered: (roomId, seq) => this.deliveries.record(userId, roomId, seq),
      resumeRequested,
      heartbeatMs: this.options.heartbeatMs,
      ...(this.options.instance === undefined ? {} : { instance: this.options.instance }),
      maxBufferedBytes: this.options.maxBufferedBytes,
      catchUpHighWaterBytes: Math.min(1024 * 1024, this.options.maxBufferedBytes / 4),
      catchUpPageSize: 500,
      framer: this.framer,
    });
    if (!(await this.presence.admit(userId, socketIdOf(connection), this.options.maxSocketsPerUser))) {
      sink.close(CLOSE_CODES.policy, 'too many sockets for this user');
      return undefined;
    }
    this.hub.register(connection);
    return connection;
  }

  /** Reads the user's rooms and sends `ready`; a `?resume=1` connection then waits for `resume`. */
  async start(connection: Connection): Promise<void> {
    const rooms = await this.db.memberships.roomCursorsOf(connection.principal.user.id);
    if (connection.isClosed) return;
    connection.start(rooms);
    this.hub.started(connection);
    if (connection.isHolding) {
      const timer = setTimeout(() => {
        this.holdTimers.delete(connection);
        if (connection.isHolding) this.refuseHeldStart(connection, undefined);
      }, LIMITS.resumeWaitMs);
      this.holdTimers.set(connection, timer);
    }
    void this.presence.connected(connection.principal.user.id, socketIdOf(connection), connection.roomIds());
  }

  /** Carries out a client's frame (throws AppError for a refusal). */
  async command(connection: Connection, frame: ClientFrame): Promise<void> {
    this.stopHolding(connection);
    await this.commands.run(connection, frame);
  }

  /** `?resume=1` was asked, and the first frame is not a resume (or none came in time): 4008. */
  refuseHeldStart(connection: Connection, ref: string | undefined): void {
    this.stopHolding(connection);
    connection.send({
      type: 'error',
      code: 'resume_required',
      message: 'The first frame must be a resume.',
      ...(ref === undefined ? {} : { ref }),
    });
    connection.close(CLOSE_CODES.resumeRequired, 'resume required');
  }

  /** The transport closed (the peer left, or we closed it). */
  closed(connection: Connection): void {
    this.stopHolding(connection);
    connection.markClosed();
    const roomIds = connection.roomIds();
    this.hub.unregister(connection);
    void this.presence.disconnected(connection.principal.user.id, socketIdOf(connection), roomIds);
  }

  /** Sessions end at their expiry too, not only on logout: their sockets are closed with 4001. */
  closeExpiredSessions(): void {
    this.hub.closeExpiredSessions(isoAt(this.clock));
  }

  /** Closes every connection with 1001 (shutdown). */
  closeAll(): void {
    for (const timer of this.holdTimers.values()) clearTimeout(timer);
    this.holdTimers.clear();
    this.hub.closeAll(CLOSE_CODES.shuttingDown, 'server shutting down');
  }

  private stopHolding(connection: Connection): void {
    const timer = this.holdTimers.get(connection);
    if (!timer) return;
    clearTimeout(timer);
    this.holdTimers.delete(connection);
  }

  private readonly readEvents = (roomId: string, afterSeq: number, limit: number) =>
    this.db.events.listAfterAsStored(roomId, afterSeq, limit);
}

/** Unique within this process; the registry adds the instance. */
const socketIdOf = (connection: Connection): string => String(connection.id);
