/**
 * "Away": a connected user whose clients all say nobody is at the keyboard. Each client
 * reports its own state (`presence` frame from the client, after some minutes without input,
 * and again when input resumes or a socket becomes ready); the user is away while every one of
 * their started sockets on this process reported away. A change is announced like any
 * presence change (`presence` frame with `away` or `online`), to everyone sharing a room.
 *
 * Counted per process: with several instances, a user with sockets on two of them is announced
 * by each as its own sockets say (the last announcement wins). Being offline is still decided
 * by Presence over every instance.
 */
import type { FanOut } from '../ports/fan-out.js';
import type { Connection } from './connection.js';
import type { Hub } from './hub.js';

export class AwayStatus {
  /** Users last announced away by this process. */
  private readonly away = new Set<string>();

  constructor(
    private readonly hub: Hub,
    private readonly fanOut: FanOut,
  ) {}

  report(connection: Connection, away: boolean): void {
    connection.away = away;
    const userId = connection.principal.user.id;
    const sockets = this.hub.startedConnectionsOf(userId);
    const allAway = sockets.length > 0 && sockets.every((socket) => socket.away);
    if (allAway === this.away.has(userId)) return;
    if (allAway) this.away.add(userId);
    else this.away.delete(userId);
    const roomIds = new Set(sockets.flatMap((socket) => socket.roomIds()));
    this.fanOut.publish({
      kind: 'presence',
      userId,
      status: allAway ? 'away' : 'online',
      roomIds: [...roomIds],
    });
  }
}
