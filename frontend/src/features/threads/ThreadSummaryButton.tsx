import type { ThreadSummary } from '@parley/protocol';
import { Avatar } from '../../ui/Avatar';
import { formatFullDate, formatRelative } from '../../util/format';

interface ThreadSummaryButtonProps {
  summary: ThreadSummary;
  /** Replies in this thread the reader has not seen yet (read marks kept in this browser). */
  unread?: number;
  onOpen: () => void;
  now?: Date;
}

/** Under a thread's root: the latest repliers' initials, "3 replies · last reply 5 minutes ago". */
export function ThreadSummaryButton({
  summary,
  unread = 0,
  onOpen,
  now = new Date(),
}: ThreadSummaryButtonProps) {
  const count = summary.replyCount === 1 ? '1 reply' : `${summary.replyCount} replies`;
  return (
    <button type="button" className="thread-summary" data-testid="thread-summary" onClick={onOpen}>
      <span className="thread-summary__faces" aria-hidden="true">
        {summary.lastRepliers.map((user) => (
          <Avatar key={user.id} userId={user.id} name={user.displayName} url={user.avatarUrl} size="sm" />
        ))}
      </span>
      <span className="thread-summary__count">{count}</span>
      {unread > 0 ? (
        <span className="thread-summary__unread" data-testid="thread-unread">
          {unread} new
        </span>
      ) : null}
      <span className="thread-summary__last" title={formatFullDate(summary.lastReplyAt)}>
        last reply {formatRelative(summary.lastReplyAt, now)}
      </span>
      <span className="visually-hidden">, open the thread</span>
    </button>
  );
}
