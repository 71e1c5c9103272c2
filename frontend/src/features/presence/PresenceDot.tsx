import type { PresenceStatus } from '../../state/ChatStore';

/**
 * A green (online), amber (away) or grey ring (offline) dot, with the word for screen readers
 * unless the surrounding element already says it (`labelled`).
 */
export function PresenceDot({ status, labelled = false }: { status: PresenceStatus; labelled?: boolean }) {
  return (
    <span
      className={`presence-dot presence-dot--${status}`}
      data-testid="presence-dot"
      data-online={status !== 'offline'}
      data-status={status}
    >
      {labelled ? null : <span className="visually-hidden">{status}</span>}
    </span>
  );
}
