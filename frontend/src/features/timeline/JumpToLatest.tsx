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
  // The visible words are the button's name ("Jump to latest 3 new messages"): no aria-label
  // that a voice-control user could not say.
  return (
    <div className="jump-latest">
      <button type="button" className="jump-latest__button" onClick={onJump}>
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
        <span>Jump to latest</span>{' '}
        {newCount > 0 ? (
          <span className="jump-latest__count">
            {newCount > 99 ? '99+' : newCount} new{' '}
            <span className="visually-hidden">{newCount === 1 ? 'message' : 'messages'}</span>
          </span>
        ) : null}
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
