/**
 * The local end of fan-out: which connections of this process belong to which user, session
 * and room, and what each fan-out message means for them.
 *
 * Room events are not written one by one: they are gathered per room and sent together. Each
 * event is encoded and framed once; a socket in step with its room gets the whole run in one
 * write of shared bytes, so 64 events to 1,000 sockets cost 1,000 writes, not 64,000. On a quiet
 * server a gather lasts until the end of the event loop's turn; under load the next flush waits
 * GATHER_FACTOR times as long as the last one took (at most MAX_GATHER_MS), so a busy room's
 * events share writes and fan-out takes a bounded share of the process. The writes (system
 * calls, and on loopback the receiver's TCP work) are most of the cost of fan-out, so this is
 * what lets deliveries/s grow with load instead of collapsing.
 * Any other message first sends what is gathered to the sockets it goes to, so each socket gets
 * messages in the order they were published. A frame for one user (the `job` frames that answer
 * every send) sends the gathered events to that user's sockets only: flushing every socket for
 * it broke up every gather of a busy room, one write per event per socket whatever the load
 * (measured: 1.01 writes per delivery at 1,000 members × 100 msg/s, see docs/performance.md).
 *
 * Presence changes are gathered the same way, the last status of each user winning: when many
 * people connect at once (a restart, the morning), each socket gets the changes of a flush in
 * one write instead of one write per person who came online.
 */
import { CLOSE_CODES, type RoomEvent, type ServerFrame, type UserRef } from '@parley/protocol';
import type { FanOut, FanOutMessage } from '../ports/fan-out.js';
import type { Connection, EventRun } from './connection.js';
import { TypingGate } from './typing-gate.js';
import { WireBytes, type WireFramer } from './wire-framer.js';

type PresenceStatus = Extract<ServerFrame, { type: 'presence' }>['status'];

/** The longest an event waits to share a write with later ones (only under load). */
const MAX_GATHER_MS = 20;
/** After a flush that took d ms, the next waits until GATHER_FACTOR × d ms have passed. */
const GATHER_FACTOR = 2;

/**
 * The kinds the hub routes to sockets (besides room events and presence). Others are ignored
 * without flushing, so they cannot break up a gather.
 */
const FOR_SOCKETS: ReadonlySet<string> = new Set<FanOutMessage['kind']>([
  'user-frame',
  'room-frame',
  'session-ended',
  'membership-changed',
  'profile-changed',
]);

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

export class Hub {
  private readonly byRoom = new Map<string, Set<Connection>>();
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly bySession = new Map<string, Set<Connection>>();
  /** Connections between registration and `ready`: they get every room event, to sort later. */
  private readonly starting = new Set<Connection>();
  private readonly unsubscribe: () => void;
  /** Room events of this turn, per room, in publish order, each framed once when first needed. */
  private gathered = new Map<string, Gathered>();
  /** Presence changes of this turn: each user's last status, and the rooms it is told in. */
  private presence = new Map<string, { status: PresenceStatus; roomIds: string[] }>();
  /** The last status announced for each user, so a repeat of it is not sent again. */
  private readonly lastPresence = new Map<string, PresenceStatus>();
  /** At most one typing frame per typist per room per second reaches the sockets. */
  private readonly typing = new TypingGate();
  private flushScheduled = false;
  private lastFlushMs = 0;
  private lastFlushEndedAt = 0;

  constructor(
    fanOut: FanOut,
    private readonly framer: WireFramer,
  ) {
    this.unsubscribe = fanOut.subscribe((message) => this.dispatch(message));
  }

  get connectionCount(): number {
    let count = 0;
    for (const set of this.byUser.values()) count += set.size;
    return count;
  }

  /** This process's started connections of one user. */
  startedConnectionsOf(userId: string): Connection[] {
    return [...(this.byUser.get(userId) ?? [])].filter((connection) => !this.starting.has(connection));
  }

  /** Every connection past `ready` (the ones whose rooms are known). */
  startedConnections(): Connection[] {
    const started: Connection[] = [];
    for (const set of this.byUser.values()) {
      for (const connection of set) if (!this.starting.has(connection)) started.push(connection);
    }
    return started;
  }

  /** Registers a connection before its rooms are read, so no event can slip past it. */
  register(connection: Connection): void {
    addTo(this.byUser, connection.principal.user.id, connection);
    addTo(this.bySession, connection.principal.sessionId, connection);
    this.starting.add(connection);
  }

  /** The connection sent `ready`: route its rooms' events to it from now on. */
  started(connection: Connection): void {
    this.starting.delete(connection);
    for (const roomId of connection.roomIds()) addTo(this.byRoom, roomId, connection);
  }

  unregister(connection: Connection): void {
    this.starting.delete(connection);
    removeFrom(this.byUser, connection.principal.user.id, connection);
    removeFrom(this.bySession, connection.principal.sessionId, connection);
    for (const roomId of connection.roomIds()) removeFrom(this.byRoom, roomId, connection);
  }

  /** Sessions end at their expiry too, not only on logout: close their sockets with 4001. */
  closeExpiredSessions(now: string): void {
    for (const set of this.bySession.values()) {
      for (const connection of set) {
        if (connection.principal.sessionExpiresAt <= now)
          connection.close(CLOSE_CODES.sessionEnded, 'session expired');
      }
    }
  }

  /** Closes every connection (shutdown). */
  closeAll(code: number, reason: string): void {
    for (const set of this.byUser.values()) for (const connection of set) connection.close(code, reason);
  }

  close(): void {
    this.flush();
    this.unsubscribe();
  }

  dispatch(message: FanOutMessage): void {
    if (message.kind === 'room-event') {
      this.gather(message.event);
      return;
    }
    if (message.kind === 'presence') {
      // Only a change is news: two instances may both announce the same one (a registry
      // answer that timed out after Redis had counted the socket, or an outage of Redis).
      if (this.lastPresence.get(message.userId) === message.status) return;
      this.lastPresence.set(message.userId, message.status);
      // Not ordered with anything else: only the latest status matters.
      this.presence.set(message.userId, { status: message.status, roomIds: message.roomIds });
      this.scheduleFlush();
      return;
    }
    if (!FOR_SOCKETS.has(message.kind)) return; // e.g. jobs-queued, or a kind from a newer instance
    switch (message.kind) {
      case 'user-frame': {
        const connections = this.byUser.get(message.userId);
        if (!connections) break; // Not connected here: nothing to encode, nothing to keep in order.
        this.flushTo(connections); // What was published before it reaches these sockets first.
        const encoded = this.encode(message.frame);
        for (const connection of connections) connection.sendEncoded(encoded);
        break;
      }
      case 'room-frame': {
        const connections = this.byRoom.get(message.roomId);
        if (!connections) break;
        const { frame } = message;
        if (frame.type === 'typing' && !this.typing.pass(message.roomId, frame.user.id, Date.now())) break;
        this.flush(); // Whatever was published before this message goes first.
        const encoded = this.encode(message.frame);
        for (const connection of connections) {
          if (connection.principal.user.id !== message.exceptUserId) connection.sendEncoded(encoded);
        }
        break;
      }
      case 'session-ended':
        this.flush();
        for (const connection of this.bySession.get(message.sessionId) ?? []) {
          connection.close(CLOSE_CODES.sessionEnded, 'session ended');
        }
        break;
      case 'membership-changed':
        this.flush();
        for (const connection of this.byUser.get(message.userId) ?? []) {
          if (message.member) {
            connection.addRoom(message.roomId, Math.max(0, message.lastSeq - 1));
            if (!this.starting.has(connection)) addTo(this.byRoom, message.roomId, connection);
          } else {
            removeFrom(this.byRoom, message.roomId, connection);
            connection.removeRoom(message.roomId);
          }
        }
        break;
      case 'profile-changed':
        this.deliverProfile(message.user, message.roomIds);
        break;
    }
  }

  /**
   * `user.updated` to every local connection that shares a room with the user, and to the
   * user's own (their other tabs), each once: encoded once, one write per connection.
   */
  private deliverProfile(user: UserRef, roomIds: string[]): void {
    const reached = new Set<Connection>(this.byUser.get(user.id) ?? []);
    for (const roomId of roomIds)
      for (const connection of this.byRoom.get(roomId) ?? []) reached.add(connection);
    if (reached.size === 0) return;
    const encoded = this.encode({ type: 'user.updated', user } satisfies ServerFrame);
    for (const connection of reached) connection.sendEncoded(encoded);
  }

  /** Sends the room events gathered so far (at the end of the turn, or before any other message). */
  flush(): void {
    if (this.gathered.size === 0 && this.presence.size === 0) return;
    const startedAt = performance.now();
    const gathered = this.gathered;
    this.gathered = new Map();
    for (const [roomId, gather] of gathered) {
      // Framed only where some socket of this process will take it (in a cluster, every
      // instance hears every event).
      const room = this.byRoom.get(roomId);
      if (room) for (const run of this.runsOf(roomId, gather)) for (const c of room) c.deliverRun(run);
      for (const connection of this.starting) for (const event of gather.events) connection.deliver(event);
    }
    const presence = this.presence;
    this.presence = new Map();
    if (presence.size > 0) this.deliverPresence(presence);
    this.lastFlushEndedAt = performance.now();
    this.lastFlushMs = this.lastFlushEndedAt - startedAt;
  }

  /**
   * Sends these connections the events gathered for their rooms, ahead of the others, which keep
   * gathering: when the flush comes, the runs go on from where each of these connections is.
   * Connections before `ready` are skipped: what they are sent waits for `ready` anyway.
   */
  private flushTo(connections: Iterable<Connection>): void {
    if (this.gathered.size === 0) return;
    for (const connection of connections) {
      if (this.starting.has(connection)) continue;
      for (const [roomId, gather] of this.gathered) {
        if (!connection.hasRoom(roomId)) continue;
        for (const run of this.runsOf(roomId, gather)) connection.deliverRun(run);
      }
    }
  }

  private gather(event: RoomEvent): void {
    const gather = this.gathered.get(event.roomId);
    if (gather) gather.events.push(event);
    else this.gathered.set(event.roomId, { events: [event], framed: [] });
    this.scheduleFlush();
  }

  /** A room's gathered events as runs of consecutive seqs, each event framed once. */
  private runsOf(roomId: string, gather: Gathered): EventRun[] {
    const { events, framed } = gather;
    for (let i = framed.length; i < events.length; i++) {
      framed.push(this.framer.frame(Buffer.from(JSON.stringify({ type: 'event', event: events[i] }))));
    }
    return consecutiveRuns(events).map(({ from, to }) => {
      const runFramed = framed.slice(from, to);
      let all: Buffer | undefined;
      return {
        roomId,
        events: events.slice(from, to),
        framed: runFramed,
        // Joined when a socket takes the whole run: not for the few sent part of it ahead.
        get all() {
          all ??= runFramed.length === 1 ? (runFramed[0] as Buffer) : Buffer.concat(runFramed);
          return all;
        },
      };
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const flushNow = () => {
      this.flushScheduled = false;
      this.flush();
    };
    const pause = Math.min(MAX_GATHER_MS, GATHER_FACTOR * this.lastFlushMs);
    const wait = this.lastFlushEndedAt + pause - performance.now();
    if (wait < 1) setImmediate(flushNow);
    else setTimeout(flushNow, wait);
  }

  /** A frame for many sockets: encoded and framed once. */
  private encode(frame: object): WireBytes {
    return new WireBytes(this.framer.frame(Buffer.from(JSON.stringify(frame))));
  }

  /**
   * Each change to every local connection in the user's rooms, once, never to the user's own
   * sockets; all the changes one connection gets leave in one write.
   */
  private deliverPresence(changes: Map<string, { status: PresenceStatus; roomIds: string[] }>): void {
    const framesOf = new Map<Connection, Buffer[]>();
    for (const [userId, { status, roomIds }] of changes) {
      const encoded = this.encode({ type: 'presence', userId, status });
      const reached = new Set<Connection>();
      for (const roomId of roomIds) {
        for (const connection of this.byRoom.get(roomId) ?? []) {
          if (connection.principal.user.id === userId || reached.has(connection)) continue;
          reached.add(connection);
          const frames = framesOf.get(connection);
          if (frames) frames.push(encoded.bytes);
          else framesOf.set(connection, [encoded.bytes]);
        }
      }
    }
    for (const [connection, frames] of framesOf) {
      connection.sendEncoded(
        new WireBytes(frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames)),
      );
    }
  }
}

/** A room's events gathered in this turn, and their frames (framed[i] is events[i], once framed). */
interface Gathered {
  events: RoomEvent[];
  framed: Buffer[];
}

/** Where a room's events split because a seq does not follow on (a lost or reordered publish). */
function consecutiveRuns(events: RoomEvent[]): { from: number; to: number }[] {
  const runs: { from: number; to: number }[] = [];
  let from = 0;
  for (let i = 1; i <= events.length; i++) {
    const previous = events[i - 1];
    const event = events[i];
    if (!event || (previous && event.seq !== previous.seq + 1)) {
      runs.push({ from, to: i });
      from = i;
    }
  }
  return runs;
}
