/**
 * A rehype plugin for message text: each emoji in a text node becomes
 * `<img class="emoji" alt="😀" src="/emoji/<version>/1f600.svg">`. Code (`<code>`, `<pre>`) is
 * left alone, so emoji typed in code stay characters, as typed. `MessageText` draws these
 * elements with `Emoji` (which falls back to the character when the image cannot load); a
 * markdown image (`![x](y)`) never has the `data-emoji` property, so it cannot pass for one.
 */
import type { Element, ElementContent, Root, RootContent, Text } from 'hast';
import { hasEmoji, splitEmoji, twemojiUrl } from './twemoji';

/** Elements whose text is never touched. */
const LEFT_AS_TYPED = new Set(['code', 'pre']);

function emojiElement(emoji: string): Element {
  return {
    type: 'element',
    tagName: 'img',
    properties: { className: ['emoji'], alt: emoji, src: twemojiUrl(emoji), dataEmoji: emoji },
    children: [],
  };
}

function splitText(node: Text): ElementContent[] {
  if (!hasEmoji(node.value)) return [node];
  return splitEmoji(node.value).map((part) =>
    part.kind === 'emoji' ? emojiElement(part.emoji) : { type: 'text', value: part.text },
  );
}

export function rehypeTwemoji() {
  const visit = (node: Root | Element) => {
    node.children = node.children.flatMap((child): RootContent[] => {
      if (child.type === 'text') return splitText(child);
      if (child.type === 'element' && !LEFT_AS_TYPED.has(child.tagName)) visit(child);
      return [child];
    }) as typeof node.children;
  };
  return (tree: Root) => visit(tree);
}
