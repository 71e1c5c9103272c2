import type { Message } from '@parley/protocol';
import { useEffect, useRef } from 'react';

/** How long a message opened by a permalink stays highlighted. */
export const SPOTLIGHT_MS = 2_600;
/**
 * While history is still arriving, the message is scrolled back into view for this long: as
 * long as it is highlighted (pages can take seconds on a slow connection or machine).
 */
const SETTLE_MS = SPOTLIGHT_MS;

/**
 * Centres the message in the timeline and tells the timeline at once that it has left the
 * bottom: its scroll handler would only hear it on the next frame, and a render before that
 * (a page joined below, a receipt) would pin it back to the newest message.
 */
function showInTimeline(element: HTMLElement): void {
  element.scrollIntoView?.({ block: 'center' });
  element.closest('.message-list')?.dispatchEvent(new Event('scroll'));
}

/** A message to show; each request (a new `nonce`) highlights it again. */
export interface SpotlightRequest {
  messageId: string;
  nonce: number;
}

interface Shown {
  request: SpotlightRequest;
  at: number;
  element: HTMLElement;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Scrolls the timeline to one message and highlights it briefly, once it is rendered: found by
 * its `data-message-id`, marked with `data-spotlight` (an attribute React does not manage, so
 * no re-render takes it off early). `onDone` runs when the highlight ends.
 */
export function useMessageSpotlight(
  request: SpotlightRequest | null,
  messages: readonly Message[] | undefined,
  onDone: () => void,
): void {
  const shown = useRef<Shown | null>(null);
  const done = useRef(onDone);
  done.current = onDone;

  // A new request, or leaving, ends the current highlight at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the request only
  useEffect(
    () => () => {
      const current = shown.current;
      if (!current) return;
      clearTimeout(current.timer);
      current.element.removeAttribute('data-spotlight');
      shown.current = null;
    },
    [request],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again as messages arrive, to find and keep the message in view
  useEffect(() => {
    if (!request) return;
    const element = document.querySelector<HTMLElement>(
      `[data-message-id="${CSS.escape(request.messageId)}"]`,
    );
    if (!element) return;
    const current = shown.current;
    if (current?.request === request) {
      // Pages loaded after it was shown can push it away: put it back while they settle.
      if (Date.now() - current.at < SETTLE_MS) showInTimeline(element);
      return;
    }
    showInTimeline(element);
    element.setAttribute('data-spotlight', 'true');
    const timer = setTimeout(() => {
      element.removeAttribute('data-spotlight');
      shown.current = null;
      done.current();
    }, SPOTLIGHT_MS);
    shown.current = { request, at: Date.now(), element, timer };
  }, [request, messages]);
}
