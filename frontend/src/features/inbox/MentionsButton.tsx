import { unreadLabel } from './MentionsPanel';
import { MENTIONS_BUTTON_ID } from './useMentionsInbox';

/** The sidebar's "Mentions" entry, with the unread count. */
export function MentionsButton({
  unread,
  active,
  onClick,
}: {
  unread: number;
  active: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      id={MENTIONS_BUTTON_ID}
      className={`sidebar__action sidebar__mentions${active ? ' sidebar__mentions--active' : ''}`}
      aria-pressed={active}
      onClick={onClick}
    >
      <span className="sidebar__mentions-at" aria-hidden="true">
        @
      </span>
      <span>Mentions</span>
      {unread > 0 ? (
        <span className="room-link__badge sidebar__mentions-badge">
          {unreadLabel(unread)}
          <span className="visually-hidden"> unread</span>
        </span>
      ) : null}
    </button>
  );
}
