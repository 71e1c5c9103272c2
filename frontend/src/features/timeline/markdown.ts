import type { Element, Root } from 'hast';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import type { Options } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';
import { rehypeTwemoji } from '../emoji/rehypeTwemoji';

/*
 * The markdown a chat message may use, and nothing more. Raw HTML is never rendered: react-markdown
 * builds React elements and, without `rehype-raw`, turns any HTML in the text back into the
 * characters it was typed as. Link targets are limited to `LINK_PROTOCOLS`.
 */

/** Link and image targets that may become links; anything else stays text. */
export const LINK_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/** `url` if it is an absolute http(s) or mailto address (parsed as the browser will), else ''. */
export function safeUrl(url: string): string {
  try {
    return LINK_PROTOCOLS.has(new URL(url).protocol) ? url : '';
  } catch {
    return '';
  }
}

/**
 * Parser constructs a chat message does not have, so their source stays plain text: headings
 * (`# x`, `x` over `---`), thematic breaks, link reference definitions (they would hide the line),
 * indented code (pasted indented text is not code: fences are), tables, footnotes and task lists.
 */
const DISABLED_CONSTRUCTS = [
  'headingAtx',
  'setextUnderline',
  'thematicBreak',
  'definition',
  'codeIndented',
  'table',
  'gfmFootnoteDefinition',
  'gfmFootnoteCall',
  'gfmPotentialFootnoteCall',
  'tasklistCheck',
];

/** A remark plugin that switches the constructs above off in the parser. */
function remarkChatSubset(this: { data(): object }) {
  const data = this.data() as { micromarkExtensions?: unknown[] };
  data.micromarkExtensions ??= [];
  data.micromarkExtensions.push({ disable: { null: DISABLED_CONSTRUCTS } });
}

/**
 * The message keeps `white-space: pre-wrap` (runs of spaces show as typed), so the line feeds the
 * HTML tree carries for readability (between blocks, after each `<br>`) would show as extra empty
 * lines: drop them, except inside code blocks.
 */
function rehypeDropLayoutNewlines() {
  const visit = (node: Root | Element) => {
    if (node.type === 'element' && node.tagName === 'pre') return;
    node.children = node.children.filter(
      (child) => !(child.type === 'text' && /^\n+$/.test(child.value)),
    ) as typeof node.children;
    for (const child of node.children) if (child.type === 'element') visit(child);
  };
  return (tree: Root) => visit(tree);
}

/** Everything a message may turn into; anything else is replaced by its content. */
const ALLOWED_ELEMENTS = [
  'p',
  'br',
  'strong',
  'em',
  'del',
  'a',
  'img',
  'code',
  'pre',
  'span',
  'ul',
  'ol',
  'li',
  'blockquote',
];

export const MARKDOWN_OPTIONS = {
  remarkPlugins: [remarkChatSubset, [remarkGfm, { singleTilde: false }], remarkBreaks],
  rehypePlugins: [
    rehypeDropLayoutNewlines,
    [
      rehypeHighlight,
      {
        detect: false,
        languages: { bash, css, diff, go, java, javascript, json, python, rust, sql, typescript, xml },
        aliases: { bash: ['shell'] },
      },
    ],
    // Emoji as Twemoji images, outside code.
    rehypeTwemoji,
  ],
  allowedElements: ALLOWED_ELEMENTS,
  unwrapDisallowed: true,
  urlTransform: safeUrl,
} satisfies Options;
