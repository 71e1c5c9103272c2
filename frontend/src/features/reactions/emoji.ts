/**
 * Emoji the app offers first, and how a reaction is described to people. Plain data and
 * functions: the composer's `:shortcode:` completion may reuse `QUICK_REACTIONS`.
 */
import type { Reaction } from '@parley/protocol';

/** The one-tap row of the reaction picker, in this order. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '🙏'] as const;

/** Names for the quick row, for screen readers and tooltips. */
export const QUICK_REACTION_NAMES: Readonly<Record<(typeof QUICK_REACTIONS)[number], string>> = {
  '👍': 'thumbs up',
  '❤️': 'red heart',
  '😂': 'face with tears of joy',
  '🎉': 'party popper',
  '😮': 'face with open mouth',
  '🙏': 'folded hands',
};

/** How many names a description lists before "and N others". */
const NAMED = 3;

/**
 * Who reacted, in words: "Ada and Bo reacted with 👍", "You, Ada, Bo and 2 others reacted with
 * 🎉". The caller comes first, as "You".
 */
export function reactorsLabel(reaction: Reaction, meId: string | undefined): string {
  const mine = reaction.users.some((user) => user.id === meId);
  const others = reaction.users.filter((user) => user.id !== meId).map((user) => user.displayName);
  const names = mine ? ['You', ...others] : others;
  const unnamed = reaction.count - names.length;
  const shown = names.slice(0, NAMED);
  const rest = names.length - shown.length + Math.max(0, unnamed);
  const parts = rest > 0 ? [...shown, `${rest} ${rest === 1 ? 'other' : 'others'}`] : shown;
  const list =
    parts.length <= 1 ? (parts[0] ?? 'Nobody') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `${list} reacted with ${reaction.emoji}`;
}
