import type { RoomEvent } from '@parley/protocol';
import { isThreadOnly } from '../state/threads';
import { UnreadLedger } from '../state/unread';
import type { ChatContext, ConnectionHandle } from './ChatContext';

export interface AckTrackerOptions {
  /** The live connection, which carries the `ack` frames (`send` is false while it is not open). */
  connection: Pick<ConnectionHandle, 'send'>;
  /** Throttle of `ack` frames, in ms. */
  ackDelayMs: number;
}

/**
 * What one has read: `ack` frames for what the open room showed (throttled), and the unread
 * count of the other rooms, each message counted once by seq.
 */
export class AckTracker {
  private readonly acked = new Map<string, number>();
  /** Per room, the seq to acknowledge next: what was on screen while the room was open. */
  private readonly toAck = new Map<string, number>();
  private readonly unreadLedger = new UnreadLedger();
  private ackTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctx: ChatContext,
    private readonly options: AckTrackerOptions,
  ) {}

  stop(): void {
    clearTimeout(this.ackTimer);
  }

  /** The room is on screen: what it shows now is read, and acknowledged shortly. */
  markRead(roomId: string): void {
    const { cursor, loaded } = this.ctx.store.timeline(roomId);
    if (!loaded) return;
    this.unreadLedger.raiseFloor(roomId, cursor);
    if (cursor > (this.toAck.get(roomId) ?? 0)) this.toAck.set(roomId, cursor);
    this.scheduleAck();
  }

  /** Sends the pending acks shortly (those the connection could not take are kept for later). */
  scheduleAck(): void {
    if (this.ackTimer !== undefined || this.ctx.isStopped()) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      for (const [roomId, seq] of this.toAck) {
        if (seq <= (this.acked.get(roomId) ?? 0)) {
          this.toAck.delete(roomId);
        } else if (this.options.connection.send({ type: 'ack', roomId, seq })) {
          this.acked.set(roomId, seq);
          this.toAck.delete(roomId);
          this.rememberAck(roomId, seq);
        }
      }
    }, this.options.ackDelayMs);
  }

  /**
   * The room's `ackSeq` follows what was acknowledged, as the server's cursor does: reopening the
   * room later puts the "New messages" line after what was read, not after what GET /rooms said.
   */
  private rememberAck(roomId: string, seq: number): void {
    this.ctx.store.update((state) => ({
      ...state,
      rooms: state.rooms.map((room) =>
        room.id === roomId && (room.ackSeq ?? 0) < seq ? { ...room, ackSeq: seq } : room,
      ),
    }));
  }

  /** Nothing at or below `seq` in the room counts as unread. */
  raiseFloor(roomId: string, seq: number): void {
    this.unreadLedger.raiseFloor(roomId, seq);
  }

  /** One is no longer in the room: nothing of it is counted or acknowledged any more. */
  forgetRoom(roomId: string): void {
    this.unreadLedger.forget(roomId);
    this.toAck.delete(roomId);
    this.acked.delete(roomId);
  }

  /** Counts a message of someone else in a room other than the open one. */
  countUnread(event: RoomEvent): void {
    const { store } = this.ctx;
    const state = store.getState();
    if (event.type !== 'message.created' || event.roomId === state.activeRoomId) return;
    if (event.actor.id === state.me.id) return;
    // A thread-only reply is not in the room's timeline: its root counts it (features/threads).
    if (isThreadOnly(event.data.message)) return;
    if (!this.unreadLedger.add(event.roomId, event.seq)) return;
    const count = this.unreadLedger.count(event.roomId);
    store.update((current) => ({ ...current, unread: { ...current.unread, [event.roomId]: count } }));
  }
}
