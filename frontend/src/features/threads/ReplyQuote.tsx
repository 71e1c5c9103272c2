import type { Message } from '@parley/protocol';
import { EmojiText } from '../emoji/Emoji';

interface ReplyQuoteProps {
  /** The replied message, when it is loaded. */
  original: Message | undefined;
  /** Scrolls to the original in the timeline, or opens the thread where it is. */
  onShow: () => void;
}

/** The longest excerpt of the original shown in a quote; the rest is a click away. */
const EXCERPT_CHARACTERS = 140;

/** Above a reply also sent to the room: who and what it answers, a link to the original. */
export function ReplyQuote({ original, onShow }: ReplyQuoteProps) {
  const excerpt = original ? excerptOf(original) : 'the original message';
  return (
    <button
      type="button"
      className="reply-quote"
      data-testid="reply-quote"
      onClick={onShow}
      title="Show the original message"
    >
      <span className="reply-quote__bar" aria-hidden="true" />
      <span className="reply-quote__label">
        {original ? (
          <>
            <span className="visually-hidden">In reply to </span>
            <span className="reply-quote__author">{original.author.displayName}</span>
          </>
        ) : (
          <span className="visually-hidden">In reply to</span>
        )}
        <span className="reply-quote__text">
          <EmojiText text={excerpt} />
        </span>
      </span>
    </button>
  );
}

function excerptOf(message: Message): string {
  if (message.deleted) return 'message deleted';
  const text = message.text.replace(/\s+/g, ' ').trim();
  if (text === '') return message.attachment ? message.attachment.fileName : '';
  const characters = [...text];
  return characters.length > EXCERPT_CHARACTERS
    ? `${characters.slice(0, EXCERPT_CHARACTERS).join('')}…`
    : text;
}
