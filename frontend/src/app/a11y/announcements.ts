import type { Message } from '@parley/protocol';
import type { ConnectionStatus } from '../../realtime/ConnectionManager';

/** The longest message text read out; the rest is cut with an ellipsis. */
const MAX_TEXT = 140;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}

/** One message as read out: "Ada: hello", or "Ada sent report.pdf". */
export function describeMessage(message: Message): string {
  const name = message.author.displayName;
  const text = clip(message.text);
  if (text) return `${name}: ${text}`;
  if (message.attachment) return `${name} sent ${message.attachment.fileName}`;
  return `${name} sent a message`;
}

/** What arrived since the last announcement, in one short line: a burst is summed up, not read out. */
export function describeMessages(messages: readonly Message[]): string {
  const latest = messages[messages.length - 1];
  if (!latest) return '';
  if (messages.length === 1) return describeMessage(latest);
  return `${messages.length} new messages. Latest, ${describeMessage(latest)}`;
}

/**
 * Collects new messages and reads them out at most once per `intervalMs`: the first at once,
 * those arriving within the interval together when it ends, so a burst is one announcement.
 */
export class ThrottledAnnouncer {
  private pending: Message[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly say: (text: string) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(messages: readonly Message[]): void {
    if (messages.length === 0) return;
    this.pending.push(...messages);
    if (this.timer !== undefined) return;
    const wait = this.lastAt + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private flush(): void {
    this.timer = undefined;
    this.lastAt = this.now();
    const text = describeMessages(this.pending);
    this.pending = [];
    if (text) this.say(text);
  }
}

/**
 * What to say when the connection changes, or null to stay quiet: nothing while first
 * connecting, then "Reconnecting…", "Offline", and "Connected" once it is back.
 */
export function describeConnectionChange(
  previous: ConnectionStatus,
  next: ConnectionStatus,
  wasConnected: boolean,
): string | null {
  if (previous === next || !wasConnected) return null;
  switch (next) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return 'Reconnecting…';
    case 'offline':
      return 'Offline';
  }
}
