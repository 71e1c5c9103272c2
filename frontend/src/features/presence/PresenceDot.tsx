/**
 * A green (online) or grey (offline) dot, with the words for screen readers unless the
 * surrounding label already says them (`labelled`).
 */
export function PresenceDot({ online, labelled = false }: { online: boolean; labelled?: boolean }) {
  return (
    <span
      className={`presence-dot presence-dot--${online ? 'online' : 'offline'}`}
      data-testid="presence-dot"
      data-online={online}
    >
      {labelled ? null : <span className="visually-hidden">{online ? 'online' : 'offline'}</span>}
    </span>
  );
}
