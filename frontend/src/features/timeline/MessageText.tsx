import type { ReactNode } from 'react';
import Markdown, { type Components, type ExtraProps, type Options } from 'react-markdown';
import { Emoji } from '../emoji/Emoji';
import { isJumbo } from '../emoji/twemoji';
import { MARKDOWN_OPTIONS } from './markdown';
import { remarkMentions } from './mentions';

/**
 * Message text (and file captions) as chat markdown: bold, italics, strikethrough, lists, quotes,
 * links, inline code and highlighted code blocks; single line breaks kept. See `markdown.ts` for
 * what is left out and why none of it can run script.
 */
export function MessageText({
  text,
  suffix,
  me,
}: {
  text: string;
  suffix?: ReactNode;
  /** The reader's username: mentions of them stand out from other mentions. */
  me?: string | undefined;
}) {
  const remarkPlugins: Options['remarkPlugins'] = [
    ...MARKDOWN_OPTIONS.remarkPlugins,
    [remarkMentions, { me }],
  ];
  const components: Components = {
    a: ({ node, href, title, children }) =>
      href ? (
        <a href={href} title={title} target="_blank" rel="noopener noreferrer">
          {children}
        </a>
      ) : (
        // Not an allowed address (`javascript:`, relative…): the link as it was typed.
        (sourceOf(text, node) ?? children)
      ),
    // No inline images in chat: a link to the picture, named by its alt text. Emoji are the one
    // image, made by `rehypeTwemoji` (typed markdown cannot set `data-emoji`).
    img: ({ node, src, alt }) =>
      typeof node?.properties.dataEmoji === 'string' ? (
        <Emoji emoji={node.properties.dataEmoji} />
      ) : typeof src === 'string' && src ? (
        <a href={src} target="_blank" rel="noopener noreferrer">
          {alt || src}
        </a>
      ) : (
        (sourceOf(text, node) ?? alt)
      ),
  };
  return (
    <div className={isJumbo(text) ? 'message__text message__text--jumbo' : 'message__text'}>
      <Markdown {...MARKDOWN_OPTIONS} remarkPlugins={remarkPlugins} components={components}>
        {text}
      </Markdown>
      {suffix ? <> {suffix}</> : null}
    </div>
  );
}

/** The characters `node` was parsed from. */
function sourceOf(text: string, node: ExtraProps['node']): string | undefined {
  const start = node?.position?.start.offset;
  const end = node?.position?.end.offset;
  return start === undefined || end === undefined ? undefined : text.slice(start, end);
}
