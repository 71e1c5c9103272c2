/**
 * Mentions in message text: `@username`, and `@room` / `@here` for everyone in the room. They
 * are highlighted by a remark plugin (on the markdown tree, so code spans and blocks, which are
 * not text nodes, are never touched) and read by `mentionsOf` to tell whether a message calls
 * on someone. Both use `MENTION`, so what is highlighted and what notifies agree.
 */
import type { Nodes, PhrasingContent, Root, Text } from 'mdast';

/** Words that mention everyone in the room rather than one person. */
export const ROOM_WIDE_MENTIONS: ReadonlySet<string> = new Set(['room', 'here']);

/**
 * `@` + a username (3–32 of `a-z 0-9 _ . -`, any case), not inside a word or an address
 * (`ada@example.org`); a trailing `.` or `-` is punctuation, not part of the name.
 */
const MENTION = /(^|[^\p{L}\p{N}_.@-])@([a-z0-9_][a-z0-9_.-]{1,31}[a-z0-9_]|room|here)(?![a-z0-9_])/giu;

/** The mentioned names of a text (lower case), left to right, each once. */
export function mentionsInText(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(MENTION)) names.add((match[2] as string).toLowerCase());
  return [...names];
}

/** Code (fenced blocks and inline spans) says nothing to anyone: taken out before reading mentions. */
function withoutCode(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?(^\1[^\n]*$|(?![\s\S]))/gm, ' ')
    .replace(/(`+)[\s\S]*?\1/g, ' ');
}

/** The names a message mentions, outside code. */
export function mentionsOf(markdown: string): string[] {
  return mentionsInText(withoutCode(markdown));
}

/** Whether the message calls on `username`: by name, or everyone with `@room` / `@here`. */
export function mentionsUser(markdown: string, username: string): boolean {
  const me = username.toLowerCase();
  return mentionsOf(markdown).some((name) => name === me || ROOM_WIDE_MENTIONS.has(name));
}

export interface RemarkMentionsOptions {
  /** The reader's username: their mentions (and `@room`/`@here`) get `mention--me`. */
  me?: string | undefined;
}

/** Splits one text node into text and mention spans. */
function splitText(node: Text, me: string | undefined): PhrasingContent[] {
  const parts: PhrasingContent[] = [];
  let last = 0;
  for (const match of node.value.matchAll(MENTION)) {
    const name = (match[2] as string).toLowerCase();
    const start = (match.index ?? 0) + (match[1] as string).length;
    const end = (match.index ?? 0) + match[0].length;
    if (start > last) parts.push({ type: 'text', value: node.value.slice(last, start) });
    const forMe = ROOM_WIDE_MENTIONS.has(name) || name === me;
    // An emphasis node is a phrasing parent mdast-util-to-hast renders as the element named in
    // `data.hName`: a span, with its class, holding the mention as typed.
    parts.push({
      type: 'emphasis',
      data: {
        hName: 'span',
        hProperties: { className: forMe ? ['mention', 'mention--me'] : ['mention'], dataMention: name },
      },
      children: [{ type: 'text', value: node.value.slice(start, end) }],
    });
    last = end;
  }
  if (parts.length === 0) return [node];
  if (last < node.value.length) parts.push({ type: 'text', value: node.value.slice(last) });
  return parts;
}

/** A remark plugin: `@name` in text (never in code, link text or URLs) becomes `<span class="mention">`. */
export function remarkMentions(options: RemarkMentionsOptions = {}) {
  const me = options.me?.toLowerCase();
  const visit = (node: Nodes) => {
    if (!('children' in node) || node.type === 'link' || node.type === 'linkReference') return;
    const parent = node as { children: Nodes[] };
    parent.children = parent.children.flatMap((child): Nodes[] => {
      if (child.type === 'text') return splitText(child, me);
      visit(child);
      return [child];
    });
  };
  return (tree: Root) => visit(tree);
}
