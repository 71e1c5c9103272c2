import type { RoomEvent, ServerFrame, UserRef } from '@parley/protocol';
import type { ChatContext } from './ChatContext';

export interface PresenceTrackerOptions {
  /** How long a typist is shown after their last `typing` frame, in ms. */
  typingShownMs: number;
}

/**
 * Who is online and who is typing where, from the server's `presence` and `typing` frames.
 * A typist is shown until `typingShownMs` after their last frame (senders repeat it every few
 * seconds while they type) or until their message arrives, whichever is first.
 */
export class PresenceTracker {
  /** `roomId` -> `userId` -> the timer that ends their "is typing". */
  private readonly typingTimers = new Map<string, Map<string, ReturnType<typeof setTimeout>>>();

  constructor(
    private readonly ctx: ChatContext,
    private readonly options: PresenceTrackerOptions,
  ) {}

  stop(): void {
    for (const timers of this.typingTimers.values()) for (const timer of timers.values()) clearTimeout(timer);
    this.typingTimers.clear();
  }

  handleFrame(frame: Extract<ServerFrame, { type: 'typing' } | { type: 'presence' }>): void {
    if (frame.type === 'presence') {
      const { userId, status } = frame;
      this.ctx.store.update((state) =>
        state.presence[userId] === status
          ? state
          : { ...state, presence: { ...state.presence, [userId]: status } },
      );
      // Gone is gone: an offline user types no more.
      if (status === 'offline')
        for (const roomId of this.typingTimers.keys()) this.stopTyping(roomId, userId);
      return;
    }
    if (frame.user.id === this.ctx.store.getState().me.id) return; // another tab of one's own
    this.startTyping(frame.roomId, frame.user);
  }

  /** A new message ends its author's "is typing" in that room. */
  noteEvent(event: RoomEvent): void {
    if (event.type === 'message.created') this.stopTyping(event.roomId, event.data.message.author.id);
  }

  /**
   * The socket is ready again: frames missed meanwhile cannot be known, so what they said is
   * forgotten and the member lists (with `online`) are the truth until new frames arrive.
   */
  reset(): void {
    this.stop();
    this.ctx.store.update((state) => ({ ...state, presence: {}, typing: {} }));
  }

  private startTyping(roomId: string, user: UserRef): void {
    let timers = this.typingTimers.get(roomId);
    if (!timers) {
      timers = new Map();
      this.typingTimers.set(roomId, timers);
    }
    const previous = timers.get(user.id);
    if (previous !== undefined) clearTimeout(previous);
    timers.set(
      user.id,
      setTimeout(() => this.stopTyping(roomId, user.id), this.options.typingShownMs),
    );
    if (previous !== undefined) return; // already shown
    this.ctx.store.update((state) => ({
      ...state,
      typing: { ...state.typing, [roomId]: [...(state.typing[roomId] ?? []), user] },
    }));
  }

  private stopTyping(roomId: string, userId: string): void {
    const timers = this.typingTimers.get(roomId);
    const timer = timers?.get(userId);
    if (!timers || timer === undefined) return;
    clearTimeout(timer);
    timers.delete(userId);
    if (timers.size === 0) this.typingTimers.delete(roomId);
    this.ctx.store.update((state) => {
      const left = (state.typing[roomId] ?? []).filter((user) => user.id !== userId);
      const { [roomId]: _gone, ...others } = state.typing;
      return { ...state, typing: left.length > 0 ? { ...others, [roomId]: left } : others };
    });
  }
}
