import type { Message } from '@parley/protocol';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { ReceiptView } from '../../state/receipts';
import { Avatar } from '../../ui/Avatar';
import { CheckIcon, DoubleCheckIcon, EditIcon, TrashIcon } from '../../ui/Icons';
import { formatFullDate, formatTime } from '../../util/format';
import { AttachmentView } from './AttachmentView';
import type { LightboxImage } from './Lightbox';
import { MessageText } from './MessageText';
import { mentionsUser } from './mentions';

export interface MessageActions {
  onEdit: (message: Message, text: string) => Promise<boolean>;
  onDelete: (message: Message) => void;
  onOpenImage: (image: LightboxImage) => void;
  resolveUrl: (path: string) => string;
}

interface MessageItemProps extends MessageActions {
  message: Message;
  own: boolean;
  /** The reader's username: a message that mentions them (or `@room`/`@here`) stands out. */
  me?: string | undefined;
  startsGroup: boolean;
  /** How far an own message got (on the newest few only). */
  receipt?: ReceiptView | undefined;
}

/** One sent message: text and/or attachment, its edited or deleted state, and the own-message menu. */
export function MessageItem({ message, own, me, startsGroup, receipt, ...actions }: MessageItemProps) {
  const [editing, setEditing] = useState(false);
  const deleted = message.deleted === true;
  const forMe = !own && !deleted && me !== undefined && mentionsUser(message.text, me);
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
    >
      <div className="message__gutter">
        {startsGroup ? (
          <Avatar userId={message.author.id} name={message.author.displayName} />
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
      </div>
      {own && !deleted && !editing ? (
        <div className="message__actions" role="toolbar" aria-label="Actions">
          {message.text || !message.attachment ? (
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
          <button
            type="button"
            className="icon-button icon-button--danger"
            aria-label="Delete"
            title="Delete"
            onClick={() => actions.onDelete(message)}
          >
            <TrashIcon width={16} height={16} />
          </button>
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
