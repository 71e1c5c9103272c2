import type { RoomEvent } from '@parley/protocol';
import { isApiError } from '../api/ApiError';
import type { ChatStore } from '../state/ChatStore';
import {
  type ApplyOutcome,
  applyEvent,
  hasMessage,
  isSystemEvent,
  oldestSeq,
  withLatestPage,
  withNotices,
  withOlderPage,
} from '../state/timeline';
import type { AckTracker } from './AckTracker';
import type { ChatContext } from './ChatContext';
import type { ReceiptsPoller } from './ReceiptsPoller';
import type { RoomDirectory } from './RoomDirectory';
import type { SendQueue } from './SendQueue';

export interface TimelineLoaderOptions {
  /** Pause before retrying a failed gap fill, in ms. */
  refillDelayMs: number;
  rooms: Pick<RoomDirectory, 'joinIfPublic'>;
  outbox: Pick<SendQueue, 'claim'>;
  acks: Pick<AckTracker, 'markRead' | 'countUnread'>;
  receipts: Pick<ReceiptsPoller, 'pollNow' | 'pollAfterActivity'>;
}

interface RoomSync {
  /** Events held back while the room's first page loads or a gap is being filled. */
  buffer: RoomEvent[];
  loading: boolean;
  filling: boolean;
}

/** Pages of 200 fetched at most to join a permalink's window to the newest messages. */
const MAX_BRIDGE_PAGES = 10;

/**
 * Each room's timeline: the newest page of history and older pages on demand, the system
 * notices between them, and live events applied in seq order, exactly once, with the gaps
 * between them filled from `/events` first.
 */
export class TimelineLoader {
  private readonly store: ChatStore;
  private readonly sync = new Map<string, RoomSync>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly ctx: ChatContext,
    private readonly options: TimelineLoaderOptions,
  ) {
    this.store = ctx.store;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Drops what is held for a room one is no longer in. */
  forget(roomId: string): void {
    this.sync.delete(roomId);
  }

  async loadLatest(roomId: string): Promise<void> {
    const sync = this.roomSync(roomId);
    if (sync.loading) return;
    sync.loading = true;
    try {
      // Public rooms are listed before one joins them; their history is for members only.
      await this.options.rooms.joinIfPublic(roomId);
      const knownLastSeq = this.store.getState().rooms.find((room) => room.id === roomId)?.lastSeq ?? 0;
      const page = await this.ctx.api.messages(roomId, { limit: 50 });
      this.store.updateTimeline(roomId, (timeline) =>
        withLatestPage(timeline, page.items, page.hasMore, knownLastSeq),
      );
      // An item restored after a reload may already be one of these messages: hidden until its
      // resend (same key) says which message it is.
      this.options.outbox.claim(page.items);
    } catch (error) {
      this.ctx.report(error);
      sync.buffer = [];
      return;
    } finally {
      sync.loading = false;
    }
    this.drain(roomId);
    if (this.store.getState().activeRoomId === roomId) {
      this.options.acks.markRead(roomId);
      this.options.receipts.pollNow();
    }
    const loaded = this.store.timeline(roomId);
    void this.loadNotices(roomId, loaded.hasMore ? (oldestSeq(loaded) ?? loaded.cursor) : 0, loaded.cursor);
  }

  async loadOlder(roomId: string): Promise<void> {
    const timeline = this.store.timeline(roomId);
    const before = oldestSeq(timeline);
    if (!timeline.loaded || timeline.loadingOlder || !timeline.hasMore || before === undefined) return;
    this.store.updateTimeline(roomId, (current) => ({ ...current, loadingOlder: true }));
    try {
      const page = await this.ctx.api.messages(roomId, { before, limit: 50 });
      this.store.updateTimeline(roomId, (current) => withOlderPage(current, page.items, page.hasMore));
      const from = page.hasMore ? (page.items[0]?.seq ?? before) : 0;
      void this.loadNotices(roomId, from, before);
    } catch (error) {
      this.store.updateTimeline(roomId, (current) => ({ ...current, loadingOlder: false }));
      this.ctx.report(error);
    }
  }

  /**
   * Loads the history around one message (a permalink) so that it is in the timeline: a page
   * centred on it, then the newer pages up to what is loaded (or the newest), so the timeline
   * stays one unbroken run of messages. Past MAX_BRIDGE_PAGES the run is left short of the
   * newest: the cursor then stays below the room's last seq and live events fill the rest.
   */
  async loadAround(roomId: string, seq: number, messageId: string): Promise<void> {
    if (hasMessage(this.store.timeline(roomId), messageId)) return;
    const knownLastSeq = this.store.getState().rooms.find((room) => room.id === roomId)?.lastSeq ?? 0;
    const around = await this.ctx.api.messagesAround(roomId, seq, 50);
    const messages = [...around.messages];
    let more = around.hasMoreAfter;
    for (let page = 0; more && page < MAX_BRIDGE_PAGES; page++) {
      const loadedFrom = oldestSeq(this.store.timeline(roomId));
      const after = messages.at(-1)?.seq ?? seq;
      if (loadedFrom !== undefined && after >= loadedFrom) break;
      const next = await this.ctx.api.messages(roomId, { after, limit: 200 });
      messages.push(...next.items);
      more = next.hasMore && next.items.length > 0;
    }
    const reachedNewest = !more;
    this.store.updateTimeline(roomId, (timeline) =>
      withLatestPage(
        { ...timeline, hasMore: timeline.loaded ? timeline.hasMore || around.hasMore : around.hasMore },
        messages,
        around.hasMore,
        reachedNewest ? knownLastSeq : 0,
      ),
    );
    this.options.outbox.claim(messages);
  }

  /**
   * A room event for the timeline: applied if it is the next one, held back while the room
   * loads or a gap is filled, counted as unread if the room's history is not loaded.
   */
  receive(event: RoomEvent): void {
    const sync = this.roomSync(event.roomId);
    const timeline = this.store.timeline(event.roomId);
    if (!timeline.loaded) {
      if (sync.loading) sync.buffer.push(event);
      else this.options.acks.countUnread(event);
      return;
    }
    if (sync.filling) {
      sync.buffer.push(event);
      return;
    }
    if (this.apply(event) === 'gap') {
      sync.buffer.push(event);
      void this.fillGap(event.roomId);
    }
  }

  /** The joins, departures and renames between `after` and `upTo`, which the message pages leave out. */
  private async loadNotices(roomId: string, after: number, upTo: number): Promise<void> {
    let cursor = after;
    try {
      for (let page = 0; page < 3 && cursor < upTo; page++) {
        const events = await this.ctx.api.events(roomId, cursor);
        const notices = events.items.filter((event) => event.seq <= upTo).filter(isSystemEvent);
        if (notices.length > 0 && this.store.getState().timelines[roomId])
          this.store.updateTimeline(roomId, (timeline) => withNotices(timeline, notices));
        cursor = events.items.at(-1)?.seq ?? upTo;
        if (!events.hasMore) break;
      }
    } catch {
      // The lines are context; the messages are already there.
    }
  }

  private apply(event: RoomEvent): ApplyOutcome {
    let outcome = 'duplicate' as ApplyOutcome;
    this.store.updateTimeline(event.roomId, (timeline) => {
      const result = applyEvent(timeline, event);
      outcome = result.outcome;
      return result.timeline;
    });
    if (outcome !== 'applied') return outcome;
    if (event.type === 'message.created') {
      this.options.outbox.claim([event.data.message]);
      this.options.acks.countUnread(event);
    }
    if (this.store.getState().activeRoomId === event.roomId) {
      this.options.acks.markRead(event.roomId);
      // Someone's activity there may have moved the receipts of one's own messages.
      this.options.receipts.pollAfterActivity();
    }
    return outcome;
  }

  /** Fetches the events after the cursor, then applies what was held back. */
  private async fillGap(roomId: string): Promise<void> {
    const sync = this.roomSync(roomId);
    if (sync.filling) return;
    sync.filling = true;
    const startCursor = this.store.timeline(roomId).cursor;
    try {
      for (;;) {
        const page = await this.ctx.api.events(roomId, this.store.timeline(roomId).cursor);
        let stuck = false;
        for (const event of page.items) {
          if (this.apply(event) === 'gap') {
            stuck = true;
            break;
          }
        }
        if (stuck || !page.hasMore || page.items.length === 0) break;
      }
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        this.ctx.endSession();
        return;
      }
    } finally {
      sync.filling = false;
    }
    const progressed = this.store.timeline(roomId).cursor > startCursor;
    if (progressed) {
      this.drain(roomId);
    } else if (sync.buffer.length > 0) {
      // No progress (network or server behind): try again shortly, still holding the events.
      this.later(() => {
        if (!sync.filling && sync.buffer.length > 0) void this.fillGap(roomId);
      }, this.options.refillDelayMs);
    }
  }

  /** Applies held-back events in seq order; starts another fill if a gap remains. */
  private drain(roomId: string): void {
    const sync = this.roomSync(roomId);
    const held = sync.buffer.sort((a, b) => a.seq - b.seq);
    sync.buffer = [];
    for (const [index, event] of held.entries()) {
      if (this.apply(event) === 'gap') {
        sync.buffer = held.slice(index);
        void this.fillGap(roomId);
        return;
      }
    }
  }

  private roomSync(roomId: string): RoomSync {
    let sync = this.sync.get(roomId);
    if (!sync) {
      sync = { buffer: [], loading: false, filling: false };
      this.sync.set(roomId, sync);
    }
    return sync;
  }

  private later(run: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.ctx.isStopped()) run();
    }, delayMs);
    this.timers.add(timer);
  }
}
