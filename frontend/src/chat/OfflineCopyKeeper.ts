import type { ChatStore } from '../state/ChatStore';
import { KEPT_ROOMS, toOfflineCopy } from '../state/offlineCopy';
import type { OfflineCopyStorage } from '../state/offlineCopyStorage';

/**
 * Keeps the offline copy (`state/offlineCopy.ts`) up to date while the chat runs: a change of
 * the store is written at most once per `delayMs` (a busy room does not serialise on every
 * event), and remembers which rooms were opened last, whose messages are the ones kept.
 */
export class OfflineCopyKeeper {
  private recent: string[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(
    private readonly store: ChatStore,
    private readonly storage: OfflineCopyStorage,
    private readonly delayMs: number,
    recentRoomIds: readonly string[] = [],
  ) {
    this.recent = [...recentRoomIds];
    this.unsubscribe = store.subscribe(() => this.changed());
  }

  /** Writes what is pending now (the page is being hidden or closed). */
  flush(): void {
    if (this.timer === undefined || this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.save();
  }

  /** Stops writing; `forget` also removes the copy (the session ended). */
  stop(forget = false): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe();
    if (forget) this.storage.clear();
  }

  private changed(): void {
    const active = this.store.getState().activeRoomId;
    if (active !== null && this.recent[0] !== active) {
      this.recent = [active, ...this.recent.filter((roomId) => roomId !== active)].slice(0, KEPT_ROOMS * 2);
    }
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save();
    }, this.delayMs);
  }

  private save(): void {
    const state = this.store.getState();
    // Nothing worth drawing yet (the room list has not come): keep the copy there is.
    if (!state.roomsLoaded) return;
    this.storage.save(toOfflineCopy(state, this.recent));
  }
}
