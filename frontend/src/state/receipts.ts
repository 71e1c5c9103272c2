import type { Message, MessageReceipts } from '@parley/protocol';

/** Receipts are asked for the newest few own messages of the open room only. */
export const TRACKED_OWN_MESSAGES = 3;

/** The newest own messages of a timeline (newest first) whose receipts are shown and fetched. */
export function trackedOwnMessages(
  messages: readonly Message[],
  meId: string,
  limit = TRACKED_OWN_MESSAGES,
): Message[] {
  const own: Message[] = [];
  for (let index = messages.length - 1; index >= 0 && own.length < limit; index--) {
    const message = messages[index];
    if (message && message.author.id === meId && !message.deleted) own.push(message);
  }
  return own;
}

export type ReceiptState = 'sent' | 'delivered' | 'seen';

export interface ReceiptView {
  state: ReceiptState;
  /** The short status under the message: "Sent", "Delivered to 2 of 3", "Seen by Ana, Ben". */
  label: string;
  /** The whole story, for a tooltip. */
  detail: string;
}

/** Names shown before "and N others". */
const NAMES_SHOWN = 3;

/**
 * How far an own message got. `direct` is a DM: with one other person it says "Delivered" and
 * "Seen" without counts or names.
 */
export function describeReceipts(receipts: MessageReceipts | undefined, direct: boolean): ReceiptView {
  if (!receipts || receipts.recipients === 0) return { state: 'sent', label: 'Sent', detail: 'Sent' };
  const { recipients, delivered, seenBy } = receipts;
  const one = direct && recipients === 1;
  const deliveredText = one
    ? 'Delivered'
    : `Delivered to ${Math.min(delivered, recipients)} of ${recipients}`;
  const allNames = seenBy.map((user) => user.displayName).join(', ');
  if (seenBy.length > 0) {
    if (one) return { state: 'seen', label: 'Seen', detail: 'Seen' };
    if (seenBy.length >= recipients)
      return { state: 'seen', label: 'Seen by everyone', detail: `Seen by ${allNames}` };
    return {
      state: 'seen',
      label: `Seen by ${names(seenBy)}`,
      detail: `${deliveredText} · Seen by ${allNames}`,
    };
  }
  if (delivered > 0) return { state: 'delivered', label: deliveredText, detail: deliveredText };
  return { state: 'sent', label: 'Sent', detail: 'Sent, not delivered to anyone yet' };
}

function names(users: readonly { displayName: string }[]): string {
  const shown = users.slice(0, NAMES_SHOWN).map((user) => user.displayName);
  const more = users.length - shown.length;
  if (more <= 0) return shown.join(', ');
  return `${shown.join(', ')} and ${more} ${more === 1 ? 'other' : 'others'}`;
}

/**
 * The receipt line of each tracked own message (by message id). Read receipts are cumulative
 * (an ack covers everything before it), so an older message repeats what a newer one says:
 * it is shown only where it differs from the next newer one.
 */
export function receiptLines(
  tracked: readonly Message[],
  receipts: Readonly<Record<string, MessageReceipts>> | undefined,
  direct: boolean,
): Map<string, ReceiptView> {
  const lines = new Map<string, ReceiptView>();
  let newer: ReceiptView | undefined;
  for (const message of tracked) {
    const view = describeReceipts(receipts?.[message.id], direct);
    if (!newer || newer.label !== view.label) lines.set(message.id, view);
    newer = view;
  }
  return lines;
}
