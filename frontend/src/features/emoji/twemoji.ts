/**
 * Emoji in text, found and named the way Twemoji names its images, so every platform draws the
 * same pictures (a bundled colour font was tried: COLRv1 draws blank in Debian's Chromium and in
 * Safari). Pure functions: the React parts (`Emoji.tsx`) and the markdown plugin
 * (`rehypeTwemoji.ts`) are built on them.
 */

/**
 * One emoji as Unicode recommends them for general interchange (RGI): flags, keycaps, skin tones
 * and ZWJ sequences each count as one. Bare text-style characters (`©`, `#`, a digit, `❤` without
 * U+FE0F) are not RGI emoji and stay text. A property of strings needs the `v` flag (Chromium
 * 112, Safari 17, Firefox 116); an older browser gets no pattern, and the platform's font draws.
 */
const EMOJI: RegExp | undefined = (() => {
  try {
    // A redundant U+FE0F after an emoji that already shows as one (`😐️`, in some pickers' data)
    // belongs to it. Built at run time, not a literal: a browser without the `v` flag would refuse
    // the whole module at parse time.
    const flags: string = 'gv';
    return new RegExp('\\p{RGI_Emoji}\\u{FE0F}?', flags);
  } catch {
    return undefined;
  }
})();

const ZWJ = '\u200d';
const VARIATION_SELECTOR_16 = /\ufe0f/g;

/**
 * Sequences whose Twemoji file does not follow the rule below (Twemoji names them without the
 * U+FE0F their RGI form carries). Found by `twemoji.test.ts`, which names every emoji of the
 * picker's data and looks for the file.
 */
const NAME_EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  ['1f441-fe0f-200d-1f5e8-fe0f', '1f441-200d-1f5e8'],
]);

/**
 * The file name (without `.svg`) Twemoji gives an emoji: its code points in lower-case hex joined
 * by `-`, with U+FE0F dropped unless the sequence has a zero-width joiner (twemoji's own rule), so
 * `❤️` is `2764`, `#️⃣` is `23-20e3` and `🏳️‍🌈` is `1f3f3-fe0f-200d-1f308`.
 */
export function twemojiName(emoji: string): string {
  const kept = emoji.includes(ZWJ) ? emoji : emoji.replace(VARIATION_SELECTOR_16, '');
  const name = Array.from(kept, (char) => (char.codePointAt(0) as number).toString(16)).join('-');
  return NAME_EXCEPTIONS.get(name) ?? name;
}

/** Where the image of `emoji` is served (our own origin; see `build/twemoji-assets.ts`). */
export function twemojiUrl(emoji: string): string {
  return `${__TWEMOJI_BASE__}${twemojiName(emoji)}.svg`;
}

export type EmojiPart = { kind: 'text'; text: string } | { kind: 'emoji'; emoji: string };

/** `text` cut into runs of plain text and single emoji, in order; no emoji gives one text part. */
export function splitEmoji(text: string): EmojiPart[] {
  if (!EMOJI || text === '') return text === '' ? [] : [{ kind: 'text', text }];
  const parts: EmojiPart[] = [];
  let last = 0;
  for (const match of text.matchAll(EMOJI)) {
    const start = match.index ?? 0;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'emoji', emoji: match[0] });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** Whether `text` holds at least one emoji (a cheap test before building a tree). */
export function hasEmoji(text: string): boolean {
  if (!EMOJI) return false;
  EMOJI.lastIndex = 0;
  const found = EMOJI.test(text);
  EMOJI.lastIndex = 0;
  return found;
}

/** At most this many emoji alone in a message are drawn large, as Slack's "jumbo" emoji. */
export const JUMBO_MAX = 3;

/**
 * Whether a message is only 1 to `JUMBO_MAX` emoji (spaces and line breaks between them allowed),
 * so they are drawn large.
 */
export function isJumbo(text: string): boolean {
  const parts = splitEmoji(text.trim());
  const emoji = parts.filter((part) => part.kind === 'emoji').length;
  const onlyEmoji = parts.every((part) => part.kind === 'emoji' || part.text.trim() === '');
  return onlyEmoji && emoji > 0 && emoji <= JUMBO_MAX;
}
