import type { MouseEvent } from 'react';

/**
 * A plain left click on a link, which the app follows in place; with a modifier key or another
 * button the browser does what links do (a new tab, a new window).
 */
export function isPlainClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
