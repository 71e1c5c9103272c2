import type { Member, MessageReceipts, Room, User, UserRef } from '@parley/protocol';
import type { ConnectionStatus } from '../realtime/ConnectionManager';
import type { OutboxItem } from './outbox';
import { emptyTimeline, type RoomTimeline } from './timeline';

export interface ChatState {
  me: User;
  rooms: Room[];
  roomsLoaded: boolean;
  activeRoomId: string | null;
  /**
   * The slug of a room link (`/r/<slug>`) that names no room one can open (unknown, or private
   * and one is not in it): shown as such instead of another room; null once a room is chosen.
   */
  missingRoomSlug: string | null;
  timelines: Readonly<Record<string, RoomTimeline>>;
  outbox: OutboxItem[];
  connection: ConnectionStatus;
  /** Messages that arrived in rooms other than the active one since it was last opened. */
  unread: Readonly<Record<string, number>>;
  /** Members of the rooms whose member list was asked for (and of every DM, for its name). */
  members: Readonly<Record<string, Member[]>>;
  /** Per room, the receipts of the newest own messages (by message id), as last fetched. */
  receipts: Readonly<Record<string, Readonly<Record<string, MessageReceipts>>>>;
  /** A problem worth a banner (history failed to load, an edit was refused…). */
  notice: string | null;
  /**
   * Who is online, from `presence` frames since the socket was last ready; a user not named
   * here is as their last member list said (`Member.online`).
   */
  presence: Readonly<Record<string, PresenceStatus>>;
  /** Per room, who is typing now (oldest first), until a few seconds after their last frame. */
  typing: Readonly<Record<string, readonly UserRef[]>>;
  /**
   * When what is shown was kept on this device (`state/offlineCopy.ts`): set after a reload
   * that could not reach the server, null once the server has answered again.
   */
  fromOfflineCopy: string | null;
}

/** Online, away from the keyboard (still connected), or offline. */
export type PresenceStatus = 'online' | 'away' | 'offline';

type Listener = () => void;

/** An immutable snapshot plus subscribe, shaped for React's `useSyncExternalStore`. */
export class ChatStore {
  private state: ChatState;
  private readonly listeners = new Set<Listener>();

  constructor(me: User) {
    this.state = {
      me,
      rooms: [],
      roomsLoaded: false,
      activeRoomId: null,
      missingRoomSlug: null,
      timelines: {},
      outbox: [],
      connection: 'connecting',
      unread: {},
      members: {},
      receipts: {},
      notice: null,
      presence: {},
      typing: {},
      fromOfflineCopy: null,
    };
  }

  readonly getState = (): ChatState => this.state;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(change: (state: ChatState) => ChatState): void {
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  timeline(roomId: string): RoomTimeline {
    return this.state.timelines[roomId] ?? emptyTimeline(roomId);
  }

  updateTimeline(roomId: string, change: (timeline: RoomTimeline) => RoomTimeline): void {
    this.update((state) => {
      const current = state.timelines[roomId] ?? emptyTimeline(roomId);
      const next = change(current);
      if (next === current) return state;
      return { ...state, timelines: { ...state.timelines, [roomId]: next } };
    });
  }

  updateOutbox(change: (outbox: OutboxItem[]) => OutboxItem[]): void {
    this.update((state) => {
      const next = change(state.outbox);
      return next === state.outbox ? state : { ...state, outbox: next };
    });
  }
}
