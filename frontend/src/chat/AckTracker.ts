import type { ClientFrame, Room, RoomEvent } from '@parley/protocol';
import { UnreadLedger } from '../state/unread';
import type { ChatContext } from './ChatContext';

export interface AckTrackerOptions {
  /** Sends a frame on the live connection; false when it is not open. */
  send: (frame: ClientFrame) => boolean;
  /** Throttle of `ack` frames, in ms. */
  ackDelayMs: number;
  /** What an event read while counting unread means for the sidebar (joins, renames, roles). */
  noteMembership: (event: RoomEvent) => void;
}

/** Pages of `/events` read to count a room's unread messages at start (200 events each). */
const UNREAD_PAGES = 5;

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
        } else if (this.options.send({ type: 'ack', roomId, seq })) {
          this.acked.set(roomId, seq);
          this.toAck.delete(roomId);
        }
      }
    }, this.options.ackDelayMs);
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
    if (!this.unreadLedger.add(event.roomId, event.seq)) return;
    const count = this.unreadLedger.count(event.roomId);
    store.update((current) => ({ ...current, unread: { ...current.unread, [event.roomId]: count } }));
  }

  /** Counts the messages of others above the room's ack cursor (and above one's own joining). */
  async countUnreadSince(room: Room): Promise<void> {
    const floor = room.ackSeq ?? 0;
    this.unreadLedger.raiseFloor(room.id, floor);
    if (room.lastSeq <= floor) return;
    let after = floor;
    try {
      for (let page = 0; page < UNREAD_PAGES; page++) {
        const events = await this.ctx.api.events(room.id, after);
        for (const event of events.items) {
          this.options.noteMembership(event);
          this.countUnread(event);
          after = Math.max(after, event.seq);
        }
        if (!events.hasMore || events.items.length === 0) break;
      }
    } catch {
      // Unread counts are a hint; the room itself still works.
    }
  }
}
