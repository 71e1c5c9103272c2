import type { ClientFrame } from '@parley/protocol';

/** Where signs of a person at the keyboard come from (the browser's input events in the app). */
export interface ActivitySource {
  /** Calls `listener` on any input; returns a function that stops listening. */
  onActivity(listener: () => void): () => void;
}

export interface AwayReporterOptions {
  /** Without input for this long, the user is away, in ms. */
  idleMs: number;
  /** How often inactivity is checked, in ms. */
  checkMs: number;
  now?: () => number;
}

/**
 * Tells the server whether anyone is at this tab (`presence` frame `away` / `online`): away
 * after `idleMs` without input, online at the next input, and the current state on each new
 * socket (`ready`), since the server keeps it per socket. The server announces a user away
 * only when all their tabs say so.
 */
export class AwayReporter {
  private away = false;
  private lastActivity: number;
  private readonly now: () => number;
  private readonly stopListening: () => void;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly send: (frame: ClientFrame) => boolean,
    source: ActivitySource,
    private readonly options: AwayReporterOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.lastActivity = this.now();
    this.stopListening = source.onActivity(() => this.active());
    this.timer = setInterval(() => this.check(), options.checkMs);
  }

  /** A socket became ready: it starts as online on the server, so say so if that is wrong. */
  ready(): void {
    this.check();
    this.send({ type: 'presence', status: this.away ? 'away' : 'online' });
  }

  stop(): void {
    clearInterval(this.timer);
    this.stopListening();
  }

  private active(): void {
    this.lastActivity = this.now();
    if (!this.away) return;
    this.away = false;
    this.send({ type: 'presence', status: 'online' });
  }

  private check(): void {
    if (this.away || this.now() - this.lastActivity < this.options.idleMs) return;
    this.away = true;
    this.send({ type: 'presence', status: 'away' });
  }
}

/** Keys, pointer, wheel and touch on the page, and the tab coming into view. */
export const browserActivity: ActivitySource = {
  onActivity(listener) {
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'focus'] as const;
    const onVisible = () => {
      if (document.visibilityState === 'visible') listener();
    };
    for (const event of events) window.addEventListener(event, listener, { passive: true });
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      for (const event of events) window.removeEventListener(event, listener);
      document.removeEventListener('visibilitychange', onVisible);
    };
  },
};
