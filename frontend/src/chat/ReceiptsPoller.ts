import type { MessageReceipts } from '@parley/protocol';
import { trackedOwnMessages } from '../state/receipts';
import type { ChatContext } from './ChatContext';

export interface ReceiptsPollerOptions {
  /** Receipts of the open room are asked again this long after one of its events, in ms. */
  debounceMs: number;
  /** Receipts of the open room are asked at least this often, in ms. */
  pollMs: number;
  /** …and this often while one's newest message there is recent and not seen by everyone, in ms. */
  fastPollMs: number;
}

/** An own message this young, not yet seen by everyone, has its receipts polled faster. */
const FRESH_MESSAGE_MS = 60_000;

/**
 * Keeps the receipts of one's newest own messages in the open room fresh: asked when the room
 * opens, shortly after activity there, and on a timer (faster while one's newest message is
 * recent and not seen by everyone). Nothing is asked while the page is hidden.
 */
export class ReceiptsPoller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dueAt = 0;
  private refreshing = false;
  private again = false;

  constructor(
    private readonly ctx: ChatContext,
    private readonly options: ReceiptsPollerOptions,
  ) {}

  stop(): void {
    clearTimeout(this.timer);
  }

  /** The open room changed or its history loaded: ask at once. */
  pollNow(): void {
    this.schedule(0);
  }

  /** Someone's activity in the open room may have moved the receipts: ask shortly, once for a burst. */
  pollAfterActivity(): void {
    this.schedule(this.options.debounceMs);
  }

  /** Asks for the open room's receipts within `delayMs`, or sooner if that is already planned. */
  private schedule(delayMs: number): void {
    if (this.ctx.isStopped()) return;
    const due = Date.now() + delayMs;
    if (this.timer !== undefined && this.dueAt <= due) return;
    clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delayMs);
  }

  /**
   * GET /messages/:id/receipts for the newest few own messages of the open room (at most
   * `TRACKED_OWN_MESSAGES` requests per round), then plans the next round.
   */
  private async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = true;
    this.again = false;
    try {
      const roomId = this.ctx.store.getState().activeRoomId;
      const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
      if (roomId && !hidden) await this.fetch(roomId);
    } finally {
      this.refreshing = false;
      this.schedule(this.again ? this.options.debounceMs : this.pollDelay());
    }
  }

  private async fetch(roomId: string): Promise<void> {
    const { store, api } = this.ctx;
    const { me } = store.getState();
    const timeline = store.timeline(roomId);
    if (!timeline.loaded) return;
    const tracked = trackedOwnMessages(timeline.messages, me.id);
    if (tracked.length === 0) return;
    const answers = await Promise.all(
      tracked.map((message) => api.receipts(message.id).catch(() => undefined)),
    );
    if (this.ctx.isStopped()) return;
    store.update((state) => {
      const previous = state.receipts[roomId] ?? {};
      const fresh: Record<string, MessageReceipts> = {};
      tracked.forEach((message, index) => {
        const receipts = answers[index] ?? previous[message.id];
        if (receipts) fresh[message.id] = receipts;
      });
      return { ...state, receipts: { ...state.receipts, [roomId]: fresh } };
    });
  }

  /** Faster while one's newest message in the open room is recent and not yet seen by everyone. */
  private pollDelay(): number {
    const { store } = this.ctx;
    const { pollMs, fastPollMs } = this.options;
    const state = store.getState();
    const roomId = state.activeRoomId;
    if (!roomId) return pollMs;
    const [newest] = trackedOwnMessages(store.timeline(roomId).messages, state.me.id, 1);
    if (!newest || Date.now() - Date.parse(newest.createdAt) > FRESH_MESSAGE_MS) return pollMs;
    const receipts = state.receipts[roomId]?.[newest.id];
    const seenByAll =
      receipts !== undefined && receipts.recipients > 0 && receipts.seenBy.length >= receipts.recipients;
    return seenByAll ? pollMs : fastPollMs;
  }
}
