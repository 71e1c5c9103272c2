import type { ConnectionStatus as Status } from '../realtime/ConnectionManager';

const LABELS: Record<Status, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',
};

interface ConnectionStatusProps {
  status: Status;
  /** Offered while offline: reconnect now instead of waiting for the next backoff step. */
  onReconnect?: () => void;
}

/**
 * The connection's state, seen; not a live region, as the chat's announcer (`LiveAnnouncements`)
 * says its changes once, wherever one is in the app.
 */
export function ConnectionStatus({ status, onReconnect }: ConnectionStatusProps) {
  const label = LABELS[status];
  const body = (
    <>
      <span className="connection__dot" aria-hidden="true" />
      <span data-testid="connection-status">{label}</span>
    </>
  );
  if (status === 'offline' && onReconnect) {
    return (
      <button
        type="button"
        className={`connection connection--${status}`}
        onClick={onReconnect}
        title="Reconnect now"
      >
        {body}
      </button>
    );
  }
  return <span className={`connection connection--${status}`}>{body}</span>;
}
