/**
 * Who a message calls on: `@username`, and `@room` / `@here` for everyone in the room. One rule
 * for both ends: the web app highlights and notifies with it, the server fills the Mentions
 * inbox and decides Web Push with it, so what is highlighted, what notifies and what is listed
 * always agree. Code (fenced blocks and inline spans) says nothing to anyone.
 */

/** Words that mention everyone in the room rather than one person. */
export const ROOM_WIDE_MENTIONS: ReadonlySet<string> = new Set(['room', 'here']);

/**
 * `@` + a username (3–32 of `a-z 0-9 _ . -`, any case), not inside a word or an address
 * (`ada@example.org`); a trailing `.` or `-` is punctuation, not part of the name. Group 1 is
 * what precedes the `@`, group 2 the name. Global: use it with `matchAll` (which copies it).
 */
export const MENTION_PATTERN =
  /(^|[^\p{L}\p{N}_.@-])@([a-z0-9_][a-z0-9_.-]{1,31}[a-z0-9_]|room|here)(?![a-z0-9_])/giu;

/** The mentioned names of a text (lower case), left to right, each once. */
export function mentionsInText(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(MENTION_PATTERN)) names.add((match[2] as string).toLowerCase());
  return [...names];
}

/** Code (fenced blocks and inline spans) taken out before reading mentions. */
function withoutCode(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?(^\1[^\n]*$|(?![\s\S]))/gm, ' ')
    .replace(/(`+)[\s\S]*?\1/g, ' ');
}

/** The names a message mentions, outside code (lower case, each once). */
export function mentionsOf(markdown: string): string[] {
  return mentionsInText(withoutCode(markdown));
}

/** Whether the message calls on `username`: by name, or everyone with `@room` / `@here`. */
export function mentionsUser(markdown: string, username: string): boolean {
  const me = username.toLowerCase();
  return mentionsOf(markdown).some((name) => name === me || ROOM_WIDE_MENTIONS.has(name));
}
