import type { Message, ThreadPage, User } from '@parley/protocol';
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { OutboxItem } from '../../state/outbox';
import { repliesIn } from '../../state/threads';
import { BackIcon, CloseIcon } from '../../ui/Icons';
import { type MessageActions, MessageItem } from '../timeline/MessageItem';
import { PendingItem } from '../timeline/PendingItem';
import { ThreadComposer } from './ThreadComposer';

interface ThreadPanelProps extends Omit<MessageActions, 'onOpenThread' | 'onShowOriginal'> {
  rootId: string;
  /** "#general", or a person's name in a direct message. */
  roomLabel: string;
  me: User;
  /** The room's loaded messages: replies arriving live are among them. */
  messages: readonly Message[];
  /** The room's own messages on their way (those of this thread are shown). */
  pending: readonly OutboxItem[];
  offline: boolean;
  loadThread: (rootId: string) => Promise<ThreadPage>;
  onSend: (text: string, alsoToRoom: boolean) => void;
  onRetry: (localId: string) => void;
  onDiscard: (localId: string) => void;
  onClose: () => void;
  /** Told which replies are on screen, to keep this thread's read mark. */
  onSeen?: (rootId: string, replyCount: number) => void;
}

/** Replies by one person within this many ms are drawn as one group, as in the timeline. */
const GROUP_WINDOW_MS = 5 * 60_000;

/**
 * A thread beside the room (over it on a phone): the root, its replies (loaded once from the
 * server, then kept current from the room's live events), and a box to reply.
 */
export function ThreadPanel(props: ThreadPanelProps) {
  const { rootId, roomLabel, me, messages, pending, loadThread, onClose, onSeen } = props;
  const [page, setPage] = useState<ThreadPage | null>(null);
  const [failed, setFailed] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const [focusRequest, setFocusRequest] = useState(0);

  useEffect(() => {
    let current = true;
    setPage(null);
    setFailed(false);
    loadThread(rootId).then(
      (loaded) => current && setPage(loaded),
      () => current && setFailed(true),
    );
    setFocusRequest((request) => request + 1);
    return () => {
      current = false;
    };
  }, [rootId, loadThread]);

  const root = messages.find((message) => message.id === rootId) ?? page?.root;
  const replies = useMemo(() => {
    // The live copy of a reply wins (edits, deletions); the fetched page fills what is not loaded.
    const byId = new Map<string, Message>();
    for (const reply of page?.replies ?? []) byId.set(reply.id, reply);
    for (const reply of repliesIn(messages, rootId)) byId.set(reply.id, reply);
    return [...byId.values()].sort((a, b) => a.seq - b.seq);
  }, [page, messages, rootId]);
  const waiting = pending.filter((item) => item.reply?.threadId === rootId);

  const shownCount = replies.length + waiting.length;
  // The newest reply in view whenever one comes in, or the thread has loaded.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && (shownCount >= 0 || page)) element.scrollTop = element.scrollHeight;
  }, [shownCount, page]);

  useEffect(() => {
    if (page) onSeen?.(rootId, replies.length);
  }, [page, rootId, replies.length, onSeen]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !document.querySelector('[aria-modal="true"]')) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const count = replies.length === 1 ? '1 reply' : `${replies.length} replies`;
  return (
    <aside className="thread-panel" aria-labelledby="thread-panel-title" data-testid="thread-panel">
      <header className="thread-panel__header">
        <button
          type="button"
          className="icon-button thread-panel__back"
          aria-label={`Back to ${roomLabel}`}
          onClick={onClose}
        >
          <BackIcon />
        </button>
        <div className="thread-panel__titles">
          <h2 id="thread-panel-title" className="thread-panel__title">
            Thread
          </h2>
          <span className="thread-panel__room">{roomLabel}</span>
        </div>
        <button
          type="button"
          className="icon-button thread-panel__close"
          aria-label="Close thread"
          title="Close thread (Escape)"
          onClick={onClose}
        >
          <CloseIcon />
        </button>
      </header>
      <div className="thread-panel__scroll" ref={scroller}>
        {root ? (
          <div className="thread-panel__root">
            <MessageItem
              message={root}
              own={root.author.id === me.id}
              startsGroup
              onEdit={props.onEdit}
              onDelete={props.onDelete}
              onOpenImage={props.onOpenImage}
              resolveUrl={props.resolveUrl}
            />
          </div>
        ) : failed ? (
          <p className="thread-panel__status" role="alert">
            This thread could not be loaded.
          </p>
        ) : (
          <p className="thread-panel__status">
            <span className="spinner" aria-hidden="true" /> Loading the thread…
          </p>
        )}
        {root ? (
          <div className="thread-panel__divider" data-testid="thread-reply-count">
            <span>{count}</span>
          </div>
        ) : null}
        <div role="log" aria-label="Replies" aria-live="polite" className="thread-panel__replies">
          {replies.map((reply, index) => (
            <Fragment key={reply.id}>
              <MessageItem
                message={reply}
                own={reply.author.id === me.id}
                startsGroup={startsGroup(replies[index - 1], reply)}
                onEdit={props.onEdit}
                onDelete={props.onDelete}
                onOpenImage={props.onOpenImage}
                resolveUrl={props.resolveUrl}
              />
              {reply.alsoToRoom && !reply.deleted ? (
                <p className="thread-panel__also">Also sent to {roomLabel}</p>
              ) : null}
            </Fragment>
          ))}
          {waiting.map((item, index) => (
            <PendingItem
              key={item.localId}
              item={item}
              me={me}
              startsGroup={index === 0 && replies.at(-1)?.author.id !== me.id}
              offline={props.offline}
              onRetry={props.onRetry}
              onDiscard={props.onDiscard}
            />
          ))}
        </div>
      </div>
      <ThreadComposer roomLabel={roomLabel} onSend={props.onSend} focusRequest={focusRequest} />
    </aside>
  );
}

function startsGroup(previous: Message | undefined, message: Message): boolean {
  if (!previous || previous.author.id !== message.author.id) return true;
  return Date.parse(message.createdAt) - Date.parse(previous.createdAt) > GROUP_WINDOW_MS;
}
