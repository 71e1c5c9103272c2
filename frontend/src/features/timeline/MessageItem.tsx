import type { Message } from '@parley/protocol';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { ReceiptView } from '../../state/receipts';
import { Avatar } from '../../ui/Avatar';
import { CheckIcon, DoubleCheckIcon, EditIcon, ReplyInThreadIcon, TrashIcon } from '../../ui/Icons';
import { formatFullDate, formatTime } from '../../util/format';
import { AddReaction } from '../reactions/AddReaction';
import { ReactionChips } from '../reactions/ReactionChips';
import { ReplyQuote } from '../threads/ReplyQuote';
import { ThreadSummaryButton } from '../threads/ThreadSummaryButton';
import { AttachmentView } from './AttachmentView';
import type { LightboxImage } from './Lightbox';
import { MessageText } from './MessageText';
import { mentionsUser } from './mentions';

export interface MessageActions {
  onEdit: (message: Message, text: string) => Promise<boolean>;
  onDelete: (message: Message) => void;
  onOpenImage: (image: LightboxImage) => void;
  resolveUrl: (path: string) => string;
  /** Opens the message's thread (features/threads); absent inside the thread panel itself. */
  onOpenThread?: ((message: Message) => void) | undefined;
  /** Shows the message a reply answers (scrolled to, or its thread opened). */
  onShowOriginal?: ((message: Message) => void) | undefined;
  /** Adds one's reaction with this emoji, or takes it back; without it, no reaction controls. */
  onToggleReaction?: ((message: Message, emoji: string) => void) | undefined;
}

interface MessageItemProps extends MessageActions {
  message: Message;
  own: boolean;
  /** The reader's username: a message that mentions them (or `@room`/`@here`) stands out. */
  me?: string | undefined;
  startsGroup: boolean;
  /** How far an own message got (on the newest few only). */
  receipt?: ReceiptView | undefined;
  /** For a reply also sent to the room: the message it answers, when loaded. */
  original?: Message | undefined;
  /** Unread replies in the thread this message roots. */
  unreadReplies?: number | undefined;
  /** The signed-in user, whose reactions show pressed. */
  meId?: string | undefined;
}

/** One sent message: text and/or attachment, its edited or deleted state, and its actions. */
export function MessageItem({
  message,
  own,
  me,
  startsGroup,
  receipt,
  original,
  unreadReplies,
  meId,
  ...actions
}: MessageItemProps) {
  const { onOpenThread, onShowOriginal } = actions;
  const [editing, setEditing] = useState(false);
  const deleted = message.deleted === true;
  const forMe = !own && !deleted && me !== undefined && mentionsUser(message.text, me);
  const { onToggleReaction } = actions;
  const react =
    onToggleReaction && !deleted ? (emoji: string) => onToggleReaction(message, emoji) : undefined;
  const reactions = deleted ? [] : (message.reactions ?? []);
  const mine = new Set(reactions.filter((r) => r.users.some((user) => user.id === meId)).map((r) => r.emoji));
  const time = formatTime(message.createdAt);
  const edited = message.editedAt ? (
    <span className="message__edited" title={`Edited ${formatFullDate(message.editedAt)}`}>
      (edited)
    </span>
  ) : null;

  return (
    <div
      className={`message${startsGroup ? ' message--first' : ''}${deleted ? ' message--deleted' : ''}${editing ? ' message--editing' : ''}${forMe ? ' message--mentions-me' : ''}`}
      data-testid="message"
      data-seq={message.seq}
      data-message-id={message.id}
      {...(own ? { 'data-status': 'sent' } : {})}
      // A tap focuses the message (it is never a Tab stop), which shows its actions on touch
      // screens, where there is no hover.
      tabIndex={-1}
    >
      <div className="message__gutter">
        {startsGroup ? (
          <Avatar
            userId={message.author.id}
            name={message.author.displayName}
            url={message.author.avatarUrl}
          />
        ) : (
          <time
            className="message__side-time"
            dateTime={message.createdAt}
            title={formatFullDate(message.createdAt)}
          >
            {time}
          </time>
        )}
      </div>
      <div className="message__body">
        {startsGroup ? (
          <div className="message__meta">
            <span className="message__author">{message.author.displayName}</span>
            <time dateTime={message.createdAt} title={formatFullDate(message.createdAt)}>
              {time}
            </time>
          </div>
        ) : null}
        {message.alsoToRoom && onShowOriginal && !deleted ? (
          <ReplyQuote original={original} onShow={() => onShowOriginal(message)} />
        ) : null}
        {deleted ? (
          <p className="message__deleted">message deleted</p>
        ) : editing ? (
          <EditForm
            initial={message.text}
            onCancel={() => setEditing(false)}
            onSave={async (text) => {
              if (text.trim() === message.text.trim() || (await actions.onEdit(message, text)))
                setEditing(false);
            }}
          />
        ) : (
          <>
            {message.text ? <MessageText text={message.text} suffix={edited} me={me} /> : null}
            {message.attachment ? (
              <div className="message__attachment">
                <AttachmentView
                  attachment={message.attachment}
                  resolveUrl={actions.resolveUrl}
                  onOpenImage={actions.onOpenImage}
                />
              </div>
            ) : null}
            {!message.text && edited ? <div>{edited}</div> : null}
          </>
        )}
        {reactions.length > 0 ? (
          <ReactionChips reactions={reactions} meId={meId} onToggle={(emoji) => react?.(emoji)}>
            {react ? <AddReaction variant="chip" onPick={react} mine={mine} /> : null}
          </ReactionChips>
        ) : null}
        {own && receipt && !deleted && !editing ? (
          <div
            className={`message__receipt message__receipt--${receipt.state}`}
            data-testid="receipt"
            data-state={receipt.state}
            title={receipt.detail}
          >
            {receipt.state === 'sent' ? (
              <CheckIcon width={13} height={13} />
            ) : (
              <DoubleCheckIcon width={15} height={13} />
            )}
            <span>{receipt.label}</span>
          </div>
        ) : null}
        {message.thread && onOpenThread ? (
          <ThreadSummaryButton
            summary={message.thread}
            unread={unreadReplies}
            onOpen={() => onOpenThread(message)}
          />
        ) : null}
      </div>
      {(own || onOpenThread || react) && !deleted && !editing ? (
        <div className="message__actions" role="toolbar" aria-label="Actions">
          {react ? <AddReaction variant="toolbar" onPick={react} mine={mine} /> : null}
          {onOpenThread ? (
            <button
              type="button"
              className="icon-button"
              aria-label="Reply in thread"
              title="Reply in thread"
              onClick={() => onOpenThread(message)}
            >
              <ReplyInThreadIcon width={16} height={16} />
            </button>
          ) : null}
          {own && (message.text || !message.attachment) ? (
            <button
              type="button"
              className="icon-button"
              aria-label="Edit"
              title="Edit"
              onClick={() => setEditing(true)}
            >
              <EditIcon width={16} height={16} />
            </button>
          ) : null}
          {own ? (
            <button
              type="button"
              className="icon-button icon-button--danger"
              aria-label="Delete"
              title="Delete"
              onClick={() => actions.onDelete(message)}
            >
              <TrashIcon width={16} height={16} />
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

interface EditFormProps {
  initial: string;
  onSave: (text: string) => Promise<void>;
  onCancel: () => void;
}

function EditForm({ initial, onSave, onCancel }: EditFormProps) {
  const [text, setText] = useState(initial);
  const [saving, setSaving] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const area = ref.current;
    if (!area) return;
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }, []);

  async function save() {
    if (text.trim() === '' || saving) return;
    setSaving(true);
    await onSave(text);
    setSaving(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    }
  }

  return (
    <div className="edit-form">
      <textarea
        ref={ref}
        aria-label="Edit text"
        value={text}
        rows={Math.min(8, Math.max(2, text.split('\n').length))}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="edit-form__buttons">
        <span className="edit-form__hint">Escape to cancel, Enter to save</span>
        <button type="button" className="button button--ghost button--small" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--primary button--small"
          onClick={() => void save()}
          disabled={saving || text.trim() === ''}
        >
          Save
        </button>
      </div>
    </div>
  );
}
