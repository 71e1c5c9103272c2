export interface SkipTarget {
  label: string;
  /** The element to move focus to; made focusable (`tabindex="-1"`) if it is not. */
  find: () => HTMLElement | null;
}

/**
 * The page's first focusable elements, out of sight until focused: each moves focus past the
 * sidebar to a part of the main pane. Buttons rather than `#fragment` links: the targets (the
 * message log, the message box) need focus moved to them, and the address stays the room's.
 */
export function SkipLinks({ targets }: { targets: SkipTarget[] }) {
  if (targets.length === 0) return null;
  const skip = (target: SkipTarget) => () => {
    const element = target.find();
    if (!element) return;
    if (element.tabIndex < 0 && !element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
    element.focus();
  };
  return (
    <nav className="skip-links" aria-label="Skip links">
      {targets.map((target) => (
        <button key={target.label} type="button" className="skip-link" onClick={skip(target)}>
          {target.label}
        </button>
      ))}
    </nav>
  );
}
