/**
 * Emoji drawn as Twemoji images. The `alt` is the emoji itself, so copying the text and screen
 * readers get the character. An image that cannot load (an emoji newer than our Twemoji set, or
 * offline before it was ever cached) falls back to the character, drawn by the platform's font.
 */
import { useState } from 'react';
import { splitEmoji, twemojiUrl } from './twemoji';
import './emoji.css';

export function Emoji({ emoji, className }: { emoji: string; className?: string }) {
  // Which emoji failed, not whether: a reused element given another emoji tries its image.
  const [failedFor, setFailedFor] = useState<string | null>(null);
  const classes = className ? `emoji ${className}` : 'emoji';
  if (failedFor === emoji) return <span className={`${classes} emoji--text`}>{emoji}</span>;
  return (
    <img
      className={classes}
      src={twemojiUrl(emoji)}
      alt={emoji}
      draggable={false}
      decoding="async"
      onError={() => setFailedFor(emoji)}
    />
  );
}

/** Plain text with each emoji in it drawn as an image (no markdown: see `MessageText` for that). */
export function EmojiText({ text }: { text: string }) {
  return (
    <>
      {splitEmoji(text).map((part, index) =>
        part.kind === 'emoji' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never move
          <Emoji key={index} emoji={part.emoji} />
        ) : (
          part.text
        ),
      )}
    </>
  );
}
