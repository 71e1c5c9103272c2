import { useCallback, useRef } from 'react';

/** A typist's "still typing" is repeated this often at most (the indicator lasts ~5 s). */
export const TYPING_SIGNAL_MS = 3000;

/**
 * Calls `onTyping` as the text changes, at most once per `intervalMs` and never for empty text,
 * so a room hears "typing" about every 3 seconds while someone types, not on every key.
 * `reset()` (after sending) lets the next keystroke signal at once.
 */
export function useTypingSignal(onTyping: (() => void) | undefined, intervalMs = TYPING_SIGNAL_MS) {
  const last = useRef<number | null>(null);
  const changed = useCallback(
    (text: string) => {
      if (!onTyping || text.trim() === '') return;
      const now = Date.now();
      if (last.current !== null && now - last.current < intervalMs) return;
      last.current = now;
      onTyping();
    },
    [onTyping, intervalMs],
  );
  const reset = useCallback(() => {
    last.current = null;
  }, []);
  return { changed, reset };
}
