/** Apple keyboards say ⌘; others Ctrl. */
const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** "Jump to…" at the top of the sidebar: the quick switcher, and the shortcut that opens it. */
export function JumpButton({ onClick }: { onClick: () => void }) {
  const mac = isMac();
  return (
    <button
      type="button"
      className="sidebar__jump"
      onClick={onClick}
      aria-keyshortcuts={mac ? 'Meta+K' : 'Control+K'}
    >
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
        <circle cx="11" cy="11" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="m16 16 4 4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <span className="sidebar__jump-label">Jump to…</span>
      <span className="sidebar__jump-keys" aria-hidden="true">
        <kbd>{mac ? '⌘' : 'Ctrl'} K</kbd>
      </span>
    </button>
  );
}
