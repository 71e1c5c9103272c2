/**
 * The local end of fan-out: which connections of this process belong to which user, session
 * and room, and what each fan-out message means for them. Every event is encoded once and the
 * same string is written to every socket of the room.
 */
import { CLOSE_CODES, type RoomEvent } from '@parley/protocol';
import type { FanOut, FanOutMessage } from '../ports/fan-out.js';
import type { Connection } from './connection.js';

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

  constructor(fanOut: FanOut) {
    this.unsubscribe = fanOut.subscribe((message) => this.dispatch(message));
  }

  get connectionCount(): number {
    let count = 0;
    for (const set of this.byUser.values()) count += set.size;
    return count;
  }

  connectionsOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
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
    this.unsubscribe();
  }

  dispatch(message: FanOutMessage): void {
    switch (message.kind) {
      case 'room-event':
        this.deliverEvent(message.event);
        break;
      case 'user-frame': {
        const encoded = Buffer.from(JSON.stringify(message.frame));
        for (const connection of this.byUser.get(message.userId) ?? []) connection.sendEncoded(encoded);
        break;
      }
      case 'room-frame': {
        const encoded = Buffer.from(JSON.stringify(message.frame));
        for (const connection of this.byRoom.get(message.roomId) ?? []) {
          if (connection.principal.user.id !== message.exceptUserId) connection.sendEncoded(encoded);
        }
        break;
      }
      case 'session-ended':
        for (const connection of this.bySession.get(message.sessionId) ?? []) {
          connection.close(CLOSE_CODES.sessionEnded, 'session ended');
        }
        break;
      case 'presence':
        this.deliverPresence(message.userId, message.status, message.roomIds);
        break;
      case 'membership-changed':
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
    }
  }

  /** To every local connection in the user's rooms, each once. */
  private deliverPresence(userId: string, status: 'online' | 'offline', roomIds: string[]): void {
    const encoded = Buffer.from(JSON.stringify({ type: 'presence', userId, status }));
    const reached = new Set<Connection>();
    for (const roomId of roomIds)
      for (const connection of this.byRoom.get(roomId) ?? []) reached.add(connection);
    for (const connection of reached)
      if (connection.principal.user.id !== userId) connection.sendEncoded(encoded);
  }

  private deliverEvent(event: RoomEvent): void {
    const room = this.byRoom.get(event.roomId);
    if (room && room.size > 0) {
      // Encoded to bytes once; every socket of the room writes the same buffer.
      const encoded = Buffer.from(JSON.stringify({ type: 'event', event }));
      for (const connection of room) connection.deliver(event, encoded);
    }
    for (const connection of this.starting) connection.deliver(event);
  }
}
