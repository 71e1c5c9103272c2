import type { Message, MessageReceipts, User } from '@parley/protocol';
import { Fragment, useLayoutEffect, useMemo, useRef } from 'react';
import type { OutboxItem } from '../../state/outbox';
import { receiptLines, trackedOwnMessages } from '../../state/receipts';
import type { SystemEvent } from '../../state/timeline';
import { type MessageActions, MessageItem } from './MessageItem';
import { buildRows } from './messageRows';
import { PendingItem } from './PendingItem';
import { SystemLine } from './SystemLine';

interface MessageListProps extends MessageActions {
  roomId: string;
  roomName: string;
  /** A direct message: the intro and labels speak of people, not a channel. */
  direct?: boolean;
  me: User;
  messages: Message[];
  pending: OutboxItem[];
  /** Joins, departures, role changes and renames, drawn between the messages. */
  notices?: SystemEvent[];
  /** Receipts of the newest own messages, by message id. */
  receipts?: Readonly<Record<string, MessageReceipts>> | undefined;
  /** The app is offline: waiting messages say so. */
  offline?: boolean;
  loaded: boolean;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (localId: string) => void;
  onDiscard: (localId: string) => void;
}

const NO_NOTICES: SystemEvent[] = [];

/** For each `room.updated`, the name and topic set by the one before it (when loaded). */
function updatesBefore(notices: SystemEvent[]): Map<number, { name: string; topic: string }> {
  const map = new Map<number, { name: string; topic: string }>();
  let previous: { name: string; topic: string } | undefined;
  for (const event of notices) {
    if (event.type !== 'room.updated') continue;
    if (previous) map.set(event.seq, previous);
    previous = event.data;
  }
  return map;
}

/** Within this many pixels of the bottom, new messages keep the view pinned to the bottom. */
const STICKY_PX = 96;
/** Within this many pixels of the top, the next older page is fetched. */
const LOAD_OLDER_PX = 160;

export function MessageList(props: MessageListProps) {
  const { roomId, roomName, me, messages, pending, loaded, hasMore, loadingOlder, onLoadOlder } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const lastRender = useRef<{ roomId: string; firstKey?: string; lastKey?: string; height: number } | null>(
    null,
  );
  const notices = props.notices ?? NO_NOTICES;
  const rows = useMemo(
    () => buildRows(messages, pending, me, new Date(), notices),
    [messages, pending, me, notices],
  );
  const before = useMemo(() => updatesBefore(notices), [notices]);
  const { receipts, direct = false } = props;
  const receiptsById = useMemo(
    () => receiptLines(trackedOwnMessages(messages, me.id), receipts, direct),
    [messages, me.id, receipts, direct],
  );
  const firstKey = rows[0]?.entry.key;
  const lastEntry = rows.at(-1)?.entry;

  // Keeps the reading position: pinned to the bottom for new messages, anchored when older ones come in.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const previous = lastRender.current;
    if (!previous || previous.roomId !== roomId) {
      pinned.current = true;
      element.scrollTop = element.scrollHeight;
    } else if (
      previous.firstKey !== undefined &&
      firstKey !== previous.firstKey &&
      previous.lastKey === lastEntry?.key
    ) {
      element.scrollTop += element.scrollHeight - previous.height;
    } else if (pinned.current || (lastEntry?.kind === 'pending' && lastEntry.key !== previous.lastKey)) {
      pinned.current = true;
      element.scrollTop = element.scrollHeight;
    }
    lastRender.current = {
      roomId,
      height: element.scrollHeight,
      ...(firstKey ? { firstKey } : {}),
      ...(lastEntry ? { lastKey: lastEntry.key } : {}),
    };
    if (loaded && hasMore && !loadingOlder && element.scrollHeight <= element.clientHeight + LOAD_OLDER_PX) {
      onLoadOlder();
    }
  });

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICKY_PX;
    if (lastRender.current) lastRender.current.height = element.scrollHeight;
    if (element.scrollTop < LOAD_OLDER_PX && loaded && hasMore && !loadingOlder) onLoadOlder();
  }

  return (
    <div className="message-list" ref={scroller} onScroll={onScroll}>
      <div
        className="message-list__inner"
        role="log"
        aria-label={`Conversation in #${roomName}`}
        // Not read out as it changes (own messages, whole history pages): new messages from
        // others are announced, throttled, by the app's live region (app/a11y/).
        aria-live="off"
      >
        {loaded && !hasMore ? (
          <div className="room-intro">
            <span className="room-intro__badge" aria-hidden="true">
              {props.direct ? '@' : '#'}
            </span>
            <h2>{props.direct ? roomName : `Welcome to #${roomName}`}</h2>
            <p>
              {props.direct
                ? `This is the very beginning of your conversation with ${roomName}.`
                : 'This is the very beginning of the conversation.'}
            </p>
          </div>
        ) : null}
        {loadingOlder || (!loaded && rows.length === 0) ? (
          <div className="message-list__loading" aria-live="polite">
            <span className="spinner" aria-hidden="true" /> Loading messages…
          </div>
        ) : null}
        {rows.map(({ entry, startsGroup, day }) => (
          <Fragment key={entry.key}>
            {day ? (
              <div className="day-divider">
                <span>{day}</span>
              </div>
            ) : null}
            {entry.kind === 'system' ? (
              <SystemLine event={entry.event} me={me} before={before.get(entry.event.seq)} />
            ) : entry.kind === 'message' ? (
              <MessageItem
                message={entry.message}
                own={entry.authorId === me.id}
                me={me.username}
                startsGroup={startsGroup}
                receipt={receiptsById.get(entry.message.id)}
                onEdit={props.onEdit}
                onDelete={props.onDelete}
                onOpenImage={props.onOpenImage}
                resolveUrl={props.resolveUrl}
              />
            ) : (
              <PendingItem
                item={entry.item}
                me={me}
                startsGroup={startsGroup}
                offline={props.offline ?? false}
                onRetry={props.onRetry}
                onDiscard={props.onDiscard}
              />
            )}
          </Fragment>
        ))}
      </div>
    </div>
  );
}
