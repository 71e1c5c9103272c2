import type { User } from '@parley/protocol';
import type { OutboxItem } from '../../state/outbox';
import { Avatar } from '../../ui/Avatar';
import { AlertIcon, ClockIcon, RetryIcon } from '../../ui/Icons';
import { formatTime } from '../../util/format';
import { FileCard, ImagePreview } from './AttachmentView';
import { MessageText } from './MessageText';

interface PendingItemProps {
  item: OutboxItem;
  me: User;
  startsGroup: boolean;
  /** The app is offline: a waiting item says it waits for the connection. */
  offline?: boolean;
  onRetry: (localId: string) => void;
  onDiscard: (localId: string) => void;
}

/**
 * An own message or file on its way: waiting for the connection, sending (with upload progress),
 * or failed with Retry and Discard.
 */
export function PendingItem({
  item,
  me,
  startsGroup,
  offline = false,
  onRetry,
  onDiscard,
}: PendingItemProps) {
  const failed = item.status === 'failed';
  const uploading = item.kind === 'file' && item.status === 'sending';
  const percent = Math.round((item.progress ?? 0) * 100);
  const waiting = item.status === 'waiting' && (offline || item.error !== undefined);
  const progressText = uploading
    ? 'Uploading…'
    : waiting
      ? offline
        ? 'Waiting for connection'
        : 'Not sent yet, trying again…'
      : 'Sending…';

  return (
    <div
      className={`message message--own-pending${startsGroup ? ' message--first' : ''}${failed ? ' message--failed' : ''}`}
      data-testid="message"
      data-status={failed ? 'failed' : 'pending'}
      data-local-id={item.localId}
    >
      <div className="message__gutter">
        {startsGroup ? <Avatar userId={me.id} name={me.displayName} url={me.avatarUrl} /> : null}
      </div>
      <div className="message__body">
        {startsGroup ? (
          <div className="message__meta">
            <span className="message__author">{me.displayName}</span>
            <time dateTime={item.createdAt}>{formatTime(item.createdAt)}</time>
          </div>
        ) : null}
        {item.text ? <MessageText text={item.text} /> : null}
        {item.file ? (
          <div className="message__attachment">
            {item.file.previewUrl ? (
              <ImagePreview src={item.file.previewUrl} alt={item.file.name} />
            ) : (
              <FileCard name={item.file.name} size={item.file.size} />
            )}
            {uploading ? (
              <div className="upload-progress">
                <progress max={100} value={percent} aria-label={`Uploading ${item.file.name}`} />
                <span>{percent}%</span>
              </div>
            ) : null}
          </div>
        ) : null}
        {failed ? (
          <div className="message__failure" role="alert">
            <AlertIcon width={15} height={15} />
            <span>Not sent{item.error ? `: ${item.error}` : ''}</span>
            {item.permanent ? null : (
              <button
                type="button"
                className="button button--small button--danger-soft"
                onClick={() => onRetry(item.localId)}
              >
                <RetryIcon width={14} height={14} /> Retry
              </button>
            )}
            <button type="button" className="link-button" onClick={() => onDiscard(item.localId)}>
              Discard
            </button>
          </div>
        ) : (
          <div
            className={`message__pending${waiting ? ' message__pending--waiting' : ''}`}
            data-testid="pending-status"
            title={waiting && !offline ? item.error : undefined}
          >
            <ClockIcon width={13} height={13} /> {progressText}
          </div>
        )}
      </div>
    </div>
  );
}
