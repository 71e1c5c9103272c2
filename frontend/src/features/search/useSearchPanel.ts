import { useCallback, useEffect, useState } from 'react';

/** The header button that opens search: focus goes back to it when the panel closes. */
export const SEARCH_BUTTON_CLASS = 'room-header__search';

/** Typing in a field: "/" there is a character, not a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Whether the search panel is open; "/" (outside a text field) opens it, as on many sites. */
export function useSearchPanel() {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target))
        return;
      if (document.querySelector('[role="dialog"]')) return;
      event.preventDefault();
      setOpen(true);
      // Already open: the shortcut moves focus back to its field.
      document.getElementById('search-input')?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const openSearch = useCallback(() => setOpen(true), []);
  const closeSearch = useCallback(() => {
    setOpen(false);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`.${SEARCH_BUTTON_CLASS}`)?.focus());
  }, []);
  /** Closed because another panel takes its place: focus stays where that panel puts it. */
  const dismissSearch = useCallback(() => setOpen(false), []);
  return { open, openSearch, closeSearch, dismissSearch };
}
