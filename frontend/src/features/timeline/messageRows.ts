import type { Message, User } from '@parley/protocol';
import type { OutboxItem } from '../../state/outbox';
import type { SystemEvent } from '../../state/timeline';
import { dayKey, formatDay } from '../../util/format';

export type RowEntry =
  | { kind: 'message'; key: string; authorId: string; authorName: string; at: string; message: Message }
  | { kind: 'pending'; key: string; authorId: string; authorName: string; at: string; item: OutboxItem }
  | { kind: 'system'; key: string; authorId: string; authorName: string; at: string; event: SystemEvent };

export interface Row {
  entry: RowEntry;
  /** First of a run by the same author: draws the avatar and the name. */
  startsGroup: boolean;
  /** Set on the first row of a new day. */
  day?: string;
}

/** Messages by one person within this many ms of each other are drawn as one group. */
const GROUP_WINDOW_MS = 5 * 60_000;

/**
 * The rows of the message pane: loaded messages and system lines in seq order, then own outbox
 * items, grouped by author and day. A system line ends a group.
 */
export function buildRows(
  messages: Message[],
  pending: OutboxItem[],
  me: User,
  now = new Date(),
  notices: SystemEvent[] = [],
): Row[] {
  const logged: RowEntry[] = [
    ...messages.map(
      (message): RowEntry => ({
        kind: 'message',
        key: `m:${message.id}`,
        authorId: message.author.id,
        authorName: message.author.displayName,
        at: message.createdAt,
        message,
      }),
    ),
    ...notices.map(
      (event): RowEntry => ({
        kind: 'system',
        key: `s:${event.seq}`,
        authorId: '',
        authorName: '',
        at: event.at,
        event,
      }),
    ),
  ].sort((a, b) => seqOf(a) - seqOf(b));
  const entries: RowEntry[] = [
    ...logged,
    ...pending.map(
      (item): RowEntry => ({
        kind: 'pending',
        key: `p:${item.localId}`,
        authorId: me.id,
        authorName: me.displayName,
        at: item.createdAt,
        item,
      }),
    ),
  ];
  const rows: Row[] = [];
  let previous: RowEntry | undefined;
  for (const entry of entries) {
    const newDay = !previous || dayKey(previous.at) !== dayKey(entry.at);
    const startsGroup =
      newDay ||
      !previous ||
      previous.kind === 'system' ||
      previous.authorId !== entry.authorId ||
      Math.abs(Date.parse(entry.at) - Date.parse(previous.at)) > GROUP_WINDOW_MS;
    rows.push({ entry, startsGroup, ...(newDay ? { day: formatDay(entry.at, now) } : {}) });
    previous = entry;
  }
  return rows;
}

function seqOf(entry: RowEntry): number {
  if (entry.kind === 'message') return entry.message.seq;
  if (entry.kind === 'system') return entry.event.seq;
  return Number.POSITIVE_INFINITY;
}
