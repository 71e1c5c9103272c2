import type { ConnectionStatus } from '../../realtime/ConnectionManager';
import type { OutboxItem } from '../../state/outbox';
import { formatRelative } from '../../util/format';
import './offline.css';

interface OfflineBannerProps {
  connection: ConnectionStatus;
  /** When the shown chat was kept on this device (after a reload without a network), else null. */
  fromOfflineCopy: string | null;
  outbox: readonly OutboxItem[];
}

/**
 * Over the open room while the server cannot be reached: that one can keep writing, how many
 * messages wait, and, when the page was reloaded offline, that what shows is this device's copy.
 * A polite status: the connection's change itself is announced by `LiveAnnouncements`.
 */
export function OfflineBanner({ connection, fromOfflineCopy, outbox }: OfflineBannerProps) {
  if (connection !== 'offline' && fromOfflineCopy === null) return null;
  const waiting = outbox.filter((item) => item.status === 'waiting').length;
  return (
    <div className="offline-banner" role="status" data-testid="offline-banner">
      <span className="offline-banner__icon" aria-hidden="true" />
      <div className="offline-banner__text">
        <strong>Offline: messages will be sent when you’re back.</strong>{' '}
        <span className="offline-banner__detail">
          {waiting > 0 ? `${waiting} waiting to be sent. ` : ''}
          {fromOfflineCopy !== null
            ? `Showing what this device kept ${formatRelative(fromOfflineCopy)}.`
            : ''}
        </span>
      </div>
    </div>
  );
}
