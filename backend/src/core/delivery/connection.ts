/**
 * One client connection: what it has been sent per room, resume, catch-up from the log, and
 * backpressure. Everything here speaks only through a FrameSink and an event reader, so it can
 * be driven in tests without a network.
 */
import { CLOSE_CODES, type RoomEvent, type ServerFrame } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import type { FrameSink } from './frame-sink.js';
import { RoomCursor } from './room-cursor.js';
import { WireBytes, type WireFramer } from './wire-framer.js';

/** An event as stored: its seq, and its JSON exactly as it is sent. */
export interface StoredEvent {
  seq: number;
  json: string;
}

/** Reads a room's log after a seq, in order (catch-up). */
export type EventReader = (roomId: string, afterSeq: number, limit: number) => Promise<StoredEvent[]>;

/**
 * A frame ready to send: its payload (a string or its UTF-8 bytes), or its bytes already framed
 * for the wire. Frames for many sockets are encoded (and framed) once and shared by all of them.
 */
export type EncodedFrame = string | Buffer | WireBytes;

/**
 * Consecutive live events of one room, encoded once for every socket of the room: each event
 * framed alone, and the whole run as one write for a socket that is in step with the room.
 */
export interface EventRun {
  roomId: string;
  events: RoomEvent[];
  /** `framed[i]` is `events[i]` as wire bytes. */
  framed: Buffer[];
  /** Every event of the run, framed, back to back. */
  all: Buffer;
}

export interface ConnectionOptions {
  /** Opened with `?resume=1`: hold room events until the first frame, which must be `resume`. */
  resumeRequested: boolean;
  heartbeatMs: number;
  /** Names the server process in `ready` (for operators and tests of a cluster). */
  instance?: string;
  /** Above this many queued bytes the client is too slow and is disconnected (4009). */
  maxBufferedBytes: number;
  /** A catch-up pauses while more than this is queued, so a replay does not flood memory. */
  catchUpHighWaterBytes: number;
  catchUpPageSize: number;
  /** Told each time a room's events were sent up to a new seq (delivery receipts). */
  onDelivered?: (roomId: string, seq: number) => void;
  /** Frames catch-up pages, so each page leaves in one write. */
  framer: WireFramer;
}

export interface ConnectionLogger {
  warn(obj: object, msg: string): void;
}

const encodeEvent = (event: RoomEvent): string => JSON.stringify({ type: 'event', event });
const eventFrameOf = (stored: StoredEvent): string => `{"type":"event","event":${stored.json}}`;

let nextConnectionId = 1;

export class Connection {
  readonly id = nextConnectionId++;
  private readonly cursors = new Map<string, RoomCursor>();
  /** Until `ready` is sent, fan-out messages wait here so none slips between the read and the send. */
  private startBuffer: RoomEvent[] | undefined = [];
  /** Frames for this user (job states) published before `ready`, sent right after it. */
  private earlyFrames: EncodedFrame[] = [];
  private holding: boolean;
  private closed = false;
  /** Its client reported its user away from the keyboard (see away-status.ts). */
  away = false;

  constructor(
    private readonly sink: FrameSink,
    readonly principal: Principal,
    private readonly readEvents: EventReader,
    private readonly log: ConnectionLogger,
    private readonly options: ConnectionOptions,
  ) {
    this.holding = options.resumeRequested;
  }

  /** Registered, `ready` not sent yet. */
  get isStarting(): boolean {
    return this.startBuffer !== undefined;
  }

  /** Waiting for the first frame of a `?resume=1` connection. */
  get isHolding(): boolean {
    return this.holding;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  hasRoom(roomId: string): boolean {
    return this.cursors.has(roomId);
  }

  roomIds(): string[] {
    return [...this.cursors.keys()];
  }

  /** Sends `ready` with each room's last seq; live events flow from there. */
  start(rooms: { roomId: string; lastSeq: number }[]): void {
    for (const room of rooms) this.cursors.set(room.roomId, new RoomCursor(room.roomId, room.lastSeq));
    const ready: ServerFrame = {
      type: 'ready',
      user: this.principal.user,
      rooms,
      heartbeatMs: this.options.heartbeatMs,
      ...(this.options.instance === undefined ? {} : { instance: this.options.instance }),
    };
    this.sendRaw(JSON.stringify(ready));
    const buffered = this.startBuffer ?? [];
    this.startBuffer = undefined;
    for (const frame of this.earlyFrames) this.sendRaw(frame);
    this.earlyFrames = [];
    for (const event of buffered) this.deliver(event);
  }

  /**
   * A run of live events of one room. A socket in step with the room (not filling, the next seq
   * it needs in the run) takes the rest of the run in one write: the whole run, shared bytes, as
   * a rule; the part it has not had when it was sent the start ahead of the others (Hub.flushTo).
   * Any other goes event by event.
   */
  deliverRun(run: EventRun): void {
    const first = run.events[0];
    const last = run.events[run.events.length - 1];
    if (!first || !last) return;
    const cursor = this.cursors.get(run.roomId);
    const inStep =
      !this.closed &&
      !this.startBuffer &&
      !this.holding &&
      cursor !== undefined &&
      !cursor.filling &&
      cursor.lastSent >= first.seq - 1 &&
      cursor.lastSent <= last.seq;
    if (!inStep) {
      run.events.forEach((event, i) => {
        this.deliver(event, new WireBytes(run.framed[i] as Buffer));
      });
      return;
    }
    if (last.seq > cursor.highestSeen) cursor.highestSeen = last.seq;
    const from = cursor.lastSent - first.seq + 1; // events of the run this socket already has
    if (from >= run.events.length) return;
    cursor.lastSent = last.seq;
    this.sendRaw(new WireBytes(from === 0 ? run.all : Buffer.concat(run.framed.slice(from))));
    this.options.onDelivered?.(cursor.roomId, last.seq);
  }

  /** A live event of one of this user's rooms (encoded once by the caller for every socket). */
  deliver(event: RoomEvent, encoded?: EncodedFrame): void {
    if (this.closed) return;
    if (this.startBuffer) {
      this.startBuffer.push(event);
      return;
    }
    if (this.holding) return; // The replay after `resume` reads it from the log.
    const cursor = this.cursors.get(event.roomId);
    if (!cursor) return;
    const verdict = cursor.classify(event);
    if (verdict === 'send') {
      cursor.lastSent = event.seq;
      this.sendRaw(encoded ?? encodeEvent(event));
      this.options.onDelivered?.(cursor.roomId, event.seq);
    } else if (verdict === 'fill') {
      void this.fill(cursor);
    }
  }

  /**
   * `resume`: replay each named room above its cursor, then continue live, with no gap and no
   * duplicate. After a held start the cursors are taken as given; later, only events above both
   * the cursor and what this connection already sent are replayed.
   */
  resume(requested: Record<string, number>): void {
    const wasHolding = this.holding;
    this.holding = false;
    for (const cursor of this.cursors.values()) {
      const asked = requested[cursor.roomId];
      if (asked !== undefined) {
        cursor.lastSent = wasHolding ? Math.min(asked, cursor.highestSeen) : Math.max(asked, cursor.lastSent);
        cursor.lastSent = Math.max(0, cursor.lastSent);
      }
      if (wasHolding || asked !== undefined) void this.fill(cursor);
    }
  }

  /** The user joined a room while connected: start its flow from `afterSeq`. */
  addRoom(roomId: string, afterSeq: number): void {
    if (this.cursors.has(roomId)) return;
    const cursor = new RoomCursor(roomId, afterSeq);
    this.cursors.set(roomId, cursor);
    if (!this.startBuffer && !this.holding) void this.fill(cursor);
  }

  /** The user left or was removed: nothing more of that room reaches this socket. */
  removeRoom(roomId: string): void {
    this.cursors.delete(roomId);
  }

  send(frame: ServerFrame): void {
    this.sendEncoded(JSON.stringify(frame));
  }

  /** A frame already encoded (once, for many sockets). Not room events: those go through deliver. */
  sendEncoded(data: EncodedFrame): void {
    if (this.startBuffer) this.earlyFrames.push(data);
    else this.sendRaw(data);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.close(code, reason);
  }

  /** The socket went away (the transport tells us). */
  markClosed(): void {
    this.closed = true;
  }

  private sendRaw(data: EncodedFrame): void {
    if (this.closed) return;
    if (data instanceof WireBytes) this.sink.sendFramed(data.bytes);
    else this.sink.send(data);
    if (this.sink.bufferedAmount > this.options.maxBufferedBytes) {
      this.log.warn(
        { userId: this.principal.user.id, buffered: this.sink.bufferedAmount },
        'slow consumer closed',
      );
      this.close(CLOSE_CODES.tooSlow, 'too slow a consumer');
    }
  }

  /** Sends the room's events after `lastSent` from the log until caught up with what is live. */
  private async fill(cursor: RoomCursor): Promise<void> {
    if (cursor.filling) return;
    cursor.filling = true;
    try {
      for (;;) {
        await this.waitForDrain();
        if (this.closed || this.cursors.get(cursor.roomId) !== cursor) return;
        const page = await this.readEvents(cursor.roomId, cursor.lastSent, this.options.catchUpPageSize);
        if (this.closed || this.cursors.get(cursor.roomId) !== cursor) return;
        const before = cursor.lastSent;
        const framer = this.options.framer;
        const framed: Buffer[] = [];
        for (const stored of page) {
          if (stored.seq !== cursor.lastSent + 1) break; // Never skip a seq.
          cursor.lastSent = stored.seq;
          framed.push(framer.frame(Buffer.from(eventFrameOf(stored))));
        }
        // A page leaves in one write: far fewer syscalls on a replay.
        if (framed.length > 0) this.sendRaw(new WireBytes(Buffer.concat(framed)));
        if (cursor.lastSent > before) this.options.onDelivered?.(cursor.roomId, cursor.lastSent);
        const caughtUp = page.length < this.options.catchUpPageSize && cursor.lastSent >= cursor.highestSeen;
        if (caughtUp || cursor.lastSent === before) return;
      }
    } catch (error) {
      this.log.warn(
        { err: error, roomId: cursor.roomId },
        'catch-up failed; the client resumes on reconnect',
      );
      this.close(CLOSE_CODES.shuttingDown, 'catch-up failed');
    } finally {
      cursor.filling = false;
    }
  }

  private async waitForDrain(): Promise<void> {
    while (!this.closed && this.sink.bufferedAmount > this.options.catchUpHighWaterBytes) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
