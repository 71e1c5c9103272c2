interface JumpToLatestProps {
  /** Messages from others that arrived below the view since one scrolled up. */
  newCount: number;
  onJump: () => void;
}

/**
 * Shown while one reads higher up in a busy room: how many new messages came in below, and a
 * way back down to them. It sits at the foot of the message pane (sticky), over the messages.
 */
export function JumpToLatest({ newCount, onJump }: JumpToLatestProps) {
  const label =
    newCount > 0
      ? `Jump to latest, ${newCount} new ${newCount === 1 ? 'message' : 'messages'}`
      : 'Jump to latest';
  return (
    <div className="jump-latest">
      <button type="button" className="jump-latest__button" aria-label={label} onClick={onJump}>
        {newCount > 0 ? (
          <span className="jump-latest__count" aria-hidden="true">
            {newCount > 99 ? '99+' : newCount} new
          </span>
        ) : null}
        <span aria-hidden="true">Jump to latest</span>
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
          <path
            d="M12 5v14m0 0-6-6m6 6 6-6"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </button>
    </div>
  );
}

/** The line above the first message one had not read when the room was opened. */
export function UnreadDivider() {
  return (
    <div className="unread-divider" data-unread-divider="">
      <span>New messages</span>
    </div>
  );
}
