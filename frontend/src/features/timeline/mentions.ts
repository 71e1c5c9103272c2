/**
 * Mentions in message text: `@username`, and `@room` / `@here` for everyone in the room. They
 * are highlighted by a remark plugin (on the markdown tree, so code spans and blocks, which are
 * not text nodes, are never touched) and read by `mentionsOf` (from `@parley/protocol`, where the server
 * reads them too) to tell whether a message calls on someone: one rule for both.
 */
import { MENTION_PATTERN, ROOM_WIDE_MENTIONS } from '@parley/protocol';
import type { Nodes, PhrasingContent, Root, Text } from 'mdast';

export { mentionsInText, mentionsOf, mentionsUser, ROOM_WIDE_MENTIONS } from '@parley/protocol';

/** The one mention rule, shared with the server (packages/protocol/src/mentions.ts). */
const MENTION = MENTION_PATTERN;

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
