import { type RefObject, useEffect, useState } from 'react';

const TABBABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]',
  '[contenteditable="true"]',
].join(',');

/** The elements Tab stops at inside `container`, in document order. */
export function tabbables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (element) =>
      element.tabIndex >= 0 &&
      !element.closest('[inert], [hidden]') &&
      // Not laid out (display: none, a closed <details>…): jsdom has no layout, so it counts.
      (typeof element.checkVisibility !== 'function' || element.checkVisibility()),
  );
}

/**
 * The keyboard side of a modal: on open, focus moves into `panel` (to an element already
 * focused in it, such as one marked `autoFocus`, else the panel itself); Tab and Shift+Tab
 * cycle within it; on close, focus goes back to the element that had it before the modal
 * opened (the control that opened it), if that is still on the page.
 */
export function useModalFocus(panel: RefObject<HTMLElement | null>): void {
  // Read while rendering: by the time effects run, an `autoFocus` child has already taken focus.
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement && document.activeElement !== document.body
      ? document.activeElement
      : null,
  );

  useEffect(() => {
    const container = panel.current;
    if (!container) return;
    if (!container.contains(document.activeElement)) container.focus();

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Tab' || event.defaultPrevented) return;
      const stops = tabbables(container);
      const first = stops[0];
      const last = stops[stops.length - 1];
      const current = document.activeElement;
      if (!first || !last) {
        event.preventDefault();
        container.focus();
      } else if (!container.contains(current)) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      } else if (event.shiftKey && (current === first || current === container)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && current === last) {
        event.preventDefault();
        first.focus();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      if (opener?.isConnected) opener.focus();
    };
  }, [panel, opener]);
}
