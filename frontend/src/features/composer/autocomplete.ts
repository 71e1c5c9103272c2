/**
 * What the composer offers to complete where the caret is: `@` + letters lists room members
 * (and `@room`, `@here`), `:` + two letters lists emoji by shortcode. Pure functions, so the
 * keyboard behaviour is tested without a browser.
 */
import type { UserRef } from '@parley/protocol';

export type Trigger = { kind: 'mention' | 'emoji'; query: string; start: number; end: number };

export interface Suggestion {
  /** Unique among the suggestions; the option's DOM id is derived from it. */
  key: string;
  /** What replaces the trigger (followed by a space). */
  insert: string;
  /** The option's main text, and a quieter second one. */
  label: string;
  detail: string;
  /** For an emoji, the character to show; for a person, their id (for the avatar). */
  emoji?: string;
  userId?: string;
}

/** The `@word` or `:word` that ends at the caret, at the start of the text or after a space. */
export function findTrigger(text: string, caret: number): Trigger | null {
  const before = text.slice(0, caret);
  const mention = /(^|[\s(])@([a-z0-9_.-]{0,32})$/i.exec(before);
  if (mention) {
    const query = mention[2] as string;
    return { kind: 'mention', query, start: caret - query.length - 1, end: caret };
  }
  const emoji = /(^|[\s(]):([a-z0-9_+-]{2,32})$/i.exec(before);
  if (emoji) {
    const query = emoji[2] as string;
    return { kind: 'emoji', query, start: caret - query.length - 1, end: caret };
  }
  return null;
}

const ROOM_WIDE: readonly Suggestion[] = [
  { key: 'mention:room', insert: '@room', label: '@room', detail: 'Everyone in this room' },
  { key: 'mention:here', insert: '@here', label: '@here', detail: 'Everyone in this room' },
];

/** Members whose username or display name starts (or a word of it starts) with the query; then @room/@here. */
export function mentionSuggestions(
  query: string,
  people: readonly UserRef[],
  meId: string,
  max = 8,
): Suggestion[] {
  const q = query.toLowerCase();
  const starts = (value: string) =>
    value.toLowerCase().startsWith(q) ||
    value
      .toLowerCase()
      .split(/[\s._-]+/)
      .some((word) => word.startsWith(q));
  const matches = people
    .filter((person) => person.id !== meId && (starts(person.username) || starts(person.displayName)))
    .sort((a, b) => a.username.localeCompare(b.username))
    .map(
      (person): Suggestion => ({
        key: `mention:${person.id}`,
        insert: `@${person.username}`,
        label: person.displayName,
        detail: `@${person.username}`,
        userId: person.id,
      }),
    );
  const wide = ROOM_WIDE.filter((item) => item.insert.slice(1).startsWith(q));
  return [...matches.slice(0, max - wide.length), ...wide];
}

/** The text with the trigger replaced by the suggestion, and where the caret goes. */
export function applySuggestion(
  text: string,
  trigger: Trigger,
  suggestion: Suggestion,
): { text: string; caret: number } {
  const after = text.slice(trigger.end);
  const insert = `${suggestion.insert}${after.startsWith(' ') ? '' : ' '}`;
  return {
    text: `${text.slice(0, trigger.start)}${insert}${after}`,
    caret: trigger.start + insert.length + (after.startsWith(' ') ? 1 : 0),
  };
}
