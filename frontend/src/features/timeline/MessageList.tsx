import type { Message, MessageReceipts, User } from '@parley/protocol';
import { Fragment, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { OutboxItem } from '../../state/outbox';
import { receiptLines, trackedOwnMessages } from '../../state/receipts';
import { isThreadOnly } from '../../state/threads';
import type { SystemEvent } from '../../state/timeline';
import { JumpToLatest, UnreadDivider } from './JumpToLatest';
import { type MessageActions, MessageItem } from './MessageItem';
import { onMessageListKeyDown } from './messageKeys';
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
  /** Unread replies per thread root id (features/threads). */
  unreadReplies?: ReadonlyMap<string, number> | undefined;
  /**
   * What one had read when the room was opened (the server's ack cursor): a "New messages" line
   * goes above the first later message of someone else, and the room opens there.
   */
  readUpToSeq?: number | undefined;
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
/** Room left above the "New messages" line when a room opens there. */
const UNREAD_MARGIN_PX = 24;
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
  // Thread-only replies live in their thread; the root counts them (features/threads).
  const inRoom = useMemo(() => messages.filter((message) => !isThreadOnly(message)), [messages]);
  const pendingInRoom = useMemo(
    () => pending.filter((item) => !item.reply || item.reply.alsoToRoom),
    [pending],
  );
  const byId = useMemo(() => new Map(messages.map((message) => [message.id, message])), [messages]);
  const rows = useMemo(
    () => buildRows(inRoom, pendingInRoom, me, new Date(), notices),
    [inRoom, pendingInRoom, me, notices],
  );
  const { onOpenThread } = props;
  /** Scrolls to a reply's original when it is in the timeline, else opens its thread. */
  const showOriginal = (reply: Message) => {
    const target = reply.replyTo
      ? scroller.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(reply.replyTo)}"]`)
      : null;
    if (target) {
      target.scrollIntoView({ block: 'center', behavior: 'smooth' });
      target.classList.remove('message--flash');
      void target.offsetWidth;
      target.classList.add('message--flash');
    } else if (onOpenThread) {
      onOpenThread(reply);
    }
  };
  const before = useMemo(() => updatesBefore(notices), [notices]);
  const { receipts, direct = false } = props;
  const receiptsById = useMemo(
    () => receiptLines(trackedOwnMessages(messages, me.id), receipts, direct),
    [messages, me.id, receipts, direct],
  );
  const firstKey = rows[0]?.entry.key;
  const lastEntry = rows.at(-1)?.entry;
  const { readUpToSeq } = props;
  const firstUnreadSeq = useMemo(
    () =>
      readUpToSeq === undefined || readUpToSeq <= 0
        ? undefined
        : messages.find((message) => message.seq > readUpToSeq && message.author.id !== me.id)?.seq,
    [messages, readUpToSeq, me.id],
  );
  // Away from the bottom: "Jump to latest" shows, counting others' messages above this seq.
  const [atBottom, setAtBottom] = useState(true);
  const leftBottomAt = useRef<number | null>(null);
  const openedAtUnread = useRef<string | null>(null);
  const newBelow = atBottom
    ? 0
    : messages.filter(
        (message) =>
          message.seq > (leftBottomAt.current ?? Number.POSITIVE_INFINITY) &&
          message.author.id !== me.id &&
          !message.deleted,
      ).length;

  const noteBottom = (element: HTMLElement) => {
    const bottom = element.scrollHeight - element.scrollTop - element.clientHeight < STICKY_PX;
    pinned.current = bottom;
    if (bottom) leftBottomAt.current = null;
    else leftBottomAt.current ??= messages.at(-1)?.seq ?? 0;
    setAtBottom(bottom);
  };

  // Keeps the reading position: pinned to the bottom for new messages, anchored when older ones come in.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const previous = lastRender.current;
    if (!previous || previous.roomId !== roomId) {
      pinned.current = true;
      leftBottomAt.current = null;
      setAtBottom(true);
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
    // Opening a room with unread messages: start at the "New messages" line when it is above the view.
    if (firstUnreadSeq !== undefined && openedAtUnread.current !== roomId) {
      const divider = element.querySelector<HTMLElement>('[data-unread-divider]');
      if (divider) {
        openedAtUnread.current = roomId;
        const offset = divider.getBoundingClientRect().top - element.getBoundingClientRect().top;
        if (offset < 0) {
          element.scrollTop += offset - UNREAD_MARGIN_PX;
          leftBottomAt.current = readUpToSeq ?? 0;
          noteBottom(element);
        }
      }
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
    noteBottom(element);
    if (lastRender.current) lastRender.current.height = element.scrollHeight;
    if (element.scrollTop < LOAD_OLDER_PX && loaded && hasMore && !loadingOlder) onLoadOlder();
  }

  function jumpToLatest() {
    const element = scroller.current;
    if (!element) return;
    element.scrollTop = element.scrollHeight;
    noteBottom(element);
    pinned.current = true;
    leftBottomAt.current = null;
    setAtBottom(true);
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
        // A Tab stop, so the keyboard can scroll it and move through its messages.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable log must be reachable by keyboard
        tabIndex={0}
        onKeyDown={onMessageListKeyDown}
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
            {entry.kind === 'message' && entry.message.seq === firstUnreadSeq ? <UnreadDivider /> : null}
            {entry.kind === 'system' ? (
              <SystemLine event={entry.event} me={me} before={before.get(entry.event.seq)} />
            ) : entry.kind === 'message' ? (
              <MessageItem
                message={entry.message}
                own={entry.authorId === me.id}
                me={me.username}
                // Below the "New messages" line, the author is named again.
                startsGroup={startsGroup || entry.message.seq === firstUnreadSeq}
                receipt={receiptsById.get(entry.message.id)}
                original={entry.message.replyTo ? byId.get(entry.message.replyTo) : undefined}
                unreadReplies={props.unreadReplies?.get(entry.message.id)}
                onOpenThread={onOpenThread}
                onShowOriginal={showOriginal}
                onEdit={props.onEdit}
                onDelete={props.onDelete}
                onToggleReaction={props.onToggleReaction}
                meId={me.id}
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
      {atBottom ? null : <JumpToLatest newCount={newBelow} onJump={jumpToLatest} />}
    </div>
  );
}
