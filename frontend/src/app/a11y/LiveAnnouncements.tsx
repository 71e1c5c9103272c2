import type { ChatState } from '../../state/ChatStore';
import { type Announcement, useConnectionAnnouncement, useMessageAnnouncements } from './useAnnouncements';

/**
 * Two polite live regions, out of sight: new messages from others in the open room (throttled),
 * and the connection's changes. Each announcement is a new node, so a repeated line is read again.
 */
export function LiveAnnouncements({ state }: { state: ChatState }) {
  const message = useMessageAnnouncements(state);
  const connection = useConnectionAnnouncement(state.connection);
  return (
    <>
      <LiveRegion testId="announce-messages" announcement={message} />
      <LiveRegion testId="announce-connection" announcement={connection} />
    </>
  );
}

function LiveRegion({ announcement, testId }: { announcement: Announcement | null; testId: string }) {
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid={testId}>
      {announcement ? <span key={announcement.id}>{announcement.text}</span> : null}
    </div>
  );
}
