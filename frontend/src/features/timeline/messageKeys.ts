import type { KeyboardEvent } from 'react';

const MESSAGE = '[data-testid="message"]';

/**
 * Moving through the conversation with the keyboard, as in Slack: with the log focused (Tab
 * reaches it, or the "Skip to messages" link), Up and Down go from message to message, Home and
 * End to the first and last loaded, Escape back to the log. A focused message shows its actions,
 * so Tab then reaches Edit and Delete, which are hidden until a message is hovered or focused.
 * From the log itself Up starts at the newest message, where one usually wants to be.
 */
export function onMessageListKeyDown(event: KeyboardEvent<HTMLElement>): void {
  const log = event.currentTarget;
  const target = event.target as HTMLElement;
  const current = target.matches(MESSAGE) ? target : target === log ? null : undefined;
  // Keys pressed inside a message's controls (the edit box, its buttons) are theirs.
  if (current === undefined) return;
  const messages = [...log.querySelectorAll<HTMLElement>(MESSAGE)];
  if (messages.length === 0) return;
  const index = current ? messages.indexOf(current) : messages.length;
  let next: HTMLElement | undefined;
  switch (event.key) {
    case 'ArrowUp':
      next = messages[Math.max(0, index - 1)];
      break;
    case 'ArrowDown':
      next = current ? messages[Math.min(messages.length - 1, index + 1)] : undefined;
      break;
    case 'Home':
      next = messages[0];
      break;
    case 'End':
      next = messages[messages.length - 1];
      break;
    case 'Escape':
      if (current) {
        event.preventDefault();
        log.focus();
      }
      return;
    default:
      return;
  }
  if (!next) return;
  event.preventDefault();
  next.focus();
  next.scrollIntoView?.({ block: 'nearest' });
}
