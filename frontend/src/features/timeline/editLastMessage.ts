import type { Message } from '@parley/protocol';

/** One's newest message that can be edited: not deleted, and with text (a bare file has none). */
export function lastEditableMessage(messages: readonly Message[], meId: string): Message | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message && message.author.id === meId && !message.deleted && (message.text || !message.attachment))
      return message;
  }
  return undefined;
}

/**
 * Opens the edit form of one's last message, as its own Edit button does (Up arrow in an empty
 * composer). It presses that button rather than reaching into the message's state, so the message
 * row keeps one way into editing; the form then takes the focus and scrolls into view.
 */
export function editLastMessage(messages: readonly Message[], meId: string): boolean {
  const message = lastEditableMessage(messages, meId);
  if (!message) return false;
  const row = document.querySelector(`[data-message-id="${CSS.escape(message.id)}"]`);
  const edit = row?.querySelector<HTMLButtonElement>('button[aria-label="Edit"]');
  if (!edit) return false;
  edit.click();
  return true;
}
