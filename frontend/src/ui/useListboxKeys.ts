import { type KeyboardEvent, useState } from 'react';

/**
 * The keys of an ARIA combobox over a listbox (the focus stays in the input; the active option
 * is named by `aria-activedescendant`): Up and Down move and wrap, Enter picks the active
 * option (Home and End keep moving the caret in the text). Escape is left to the caller (it closes a popup, or the dialog).
 */
export function useListboxKeys(count: number, onPick: (index: number) => void) {
  const [active, setActive] = useState(0);
  // A shorter list (the query changed) keeps the active option in range.
  const current = count === 0 ? -1 : Math.min(active, count - 1);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): boolean {
    if (count === 0) return false;
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      event.preventDefault();
      setActive((current + step + count) % count);
      return true;
    }
    if (event.key === 'Enter' && current >= 0 && !event.nativeEvent.isComposing) {
      event.preventDefault();
      onPick(current);
      return true;
    }
    return false;
  }

  return { active: current, setActive, onKeyDown, reset: () => setActive(0) };
}
