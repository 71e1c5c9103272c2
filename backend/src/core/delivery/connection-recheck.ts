/**
 * What must happen to live sockets must not hang on one fan-out packet. Across instances, pub/sub
 * may lose the `session-ended` of a logout or deactivation, or the `membership-changed` of a
 * removal; so every few seconds each instance checks its own sockets against the database: the
 * sockets of a session that is no longer live are closed (4001), and the rooms a socket follows
 * are brought in line with the user's memberships.
 *
 * A membership read can be older than a change published a moment later (a join that the socket
 * already follows, or a removal it already applied): so a room is added or cut only when two
 * checks in a row disagree with the socket. A session never comes back to life, so its sockets
 * are closed at the first check that finds it ended.
 *
 * An open socket is a use of its session: the check records it (at most once an hour per
 * session, see session-activity.ts), so a client that listens on one socket for weeks is not
 * taken for idle. The record is written only while the session is still live.
 */
import { idleCutoff, SEEN_RESOLUTION_MS, staleBefore } from '../accounts/session-activity.js';
import { type Clock, isoAt, systemClock } from '../clock.js';
import type { Database } from '../ports/database.js';
import type { Connection } from './connection.js';
import type { Hub } from './hub.js';

export interface RecheckOutcome {
  sessionsEnded: number;
  roomsCut: number;
  roomsAdded: number;
}

export class ConnectionRecheck {
  /** `userId roomId +|-`: the disagreements the last check saw. */
  private suspects = new Set<string>();
  private running = false;
  /** When this instance last recorded its sockets' sessions as used. */
  private lastTouchMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Database,
    private readonly hub: Hub,
    private readonly clock: Clock = systemClock,
    /** `SESSION_IDLE_DAYS` in milliseconds; 0: no idle expiry. */
    private readonly sessionIdleMs = 0,
  ) {}

  async run(): Promise<RecheckOutcome> {
    const outcome: RecheckOutcome = { sessionsEnded: 0, roomsCut: 0, roomsAdded: 0 };
    if (this.running) return outcome; // A slow database: the next tick checks again.
    this.running = true;
    try {
      await this.closeEndedSessions(outcome);
      await this.alignRooms(outcome);
    } finally {
      this.running = false;
    }
    return outcome;
  }

  private async closeEndedSessions(outcome: RecheckOutcome): Promise<void> {
    const sessionIds = [...new Set(this.hub.startedConnections().map((c) => c.principal.sessionId))];
    if (sessionIds.length === 0) return;
    const nowMs = this.clock.nowMs();
    const cutoff = idleCutoff(nowMs, this.sessionIdleMs);
    // Every tenth of the resolution is plenty; the write itself skips sessions seen within the hour.
    if (nowMs - this.lastTouchMs >= SEEN_RESOLUTION_MS / 10) {
      this.lastTouchMs = nowMs;
      await this.db.sessions.touch(sessionIds, isoAt(this.clock), staleBefore(nowMs), cutoff);
    }
    const live = await this.db.sessions.liveAmong(sessionIds, isoAt(this.clock), cutoff);
    for (const sessionId of sessionIds) {
      if (live.has(sessionId)) continue;
      outcome.sessionsEnded++;
      this.hub.dispatch({ kind: 'session-ended', sessionId });
    }
  }

  private async alignRooms(outcome: RecheckOutcome): Promise<void> {
    const connections = this.hub.startedConnections().filter((connection) => !connection.isClosed);
    const byUser = new Map<string, Connection[]>();
    for (const connection of connections) {
      const list = byUser.get(connection.principal.user.id) ?? [];
      list.push(connection);
      byUser.set(connection.principal.user.id, list);
    }
    const memberships = await this.db.memberships.roomCursorsOfUsers([...byUser.keys()]);
    const seen = new Set<string>();
    for (const [userId, userConnections] of byUser) {
      const rooms = new Map((memberships.get(userId) ?? []).map((room) => [room.roomId, room.lastSeq]));
      const followed = new Set(userConnections.flatMap((connection) => connection.roomIds()));
      for (const roomId of followed) {
        if (rooms.has(roomId)) continue;
        const key = `${userId} ${roomId} -`;
        seen.add(key);
        if (!this.suspects.has(key)) continue;
        outcome.roomsCut++;
        this.hub.dispatch({ kind: 'membership-changed', userId, roomId, member: false, lastSeq: 0 });
      }
      for (const [roomId, lastSeq] of rooms) {
        if (userConnections.every((connection) => connection.roomIds().includes(roomId))) continue;
        const key = `${userId} ${roomId} +`;
        seen.add(key);
        if (!this.suspects.has(key)) continue;
        outcome.roomsAdded++;
        // From the room's seq as it is now: a socket that missed the join has the log for
        // what came before, as after any join.
        this.hub.dispatch({ kind: 'membership-changed', userId, roomId, member: true, lastSeq: lastSeq + 1 });
      }
    }
    this.suspects = seen;
  }
}
