import { EmojiText } from '../emoji/Emoji';
import { excerpt, highlightParts } from './highlight';

/**
 * A message's text with the searched terms marked and emoji drawn as images; built from text, so
 * nothing in it is markup.
 */
export function HighlightedText({ text, terms }: { text: string; terms: readonly string[] }) {
  const parts = highlightParts(excerpt(text, terms), terms);
  return (
    <>
      {parts.map((part, index) =>
        part.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts never move; their place is their identity
          <mark key={index}>
            <EmojiText text={part.text} />
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above
          <span key={index}>
            <EmojiText text={part.text} />
          </span>
        ),
      )}
    </>
  );
}
