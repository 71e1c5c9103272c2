/**
 * Emoji reactions on messages: their limit and what counts as one emoji, shared by the server
 * (validation) and the web app. The shapes (`Reaction`, `ReactionEventData`) are in models.ts.
 */
import { z } from 'zod';

export const REACTION_LIMITS = {
  /** Distinct emoji one message may carry; a new one beyond it is refused (409). */
  distinctPerMessage: 40,
} as const;

/**
 * The `v` flag (Unicode sets) is newer than our TypeScript target, which refuses it in a regex
 * literal; Node 20 and every browser we support run it.
 */
const UNICODE_SETS: string = 'v';
/**
 * Exactly one emoji as Unicode recommends it for general interchange (RGI): a single code point
 * emoji with its presentation selector, a skin tone, a flag, a ZWJ family.
 */
const ONE_EMOJI = new RegExp(String.raw`^\p{RGI_Emoji}$`, UNICODE_SETS);

/** Whether `value` is one RGI emoji and nothing else. */
export const isSingleEmoji = (value: string): boolean => ONE_EMOJI.test(value);

export const emojiSchema = z
  .string()
  .max(64, 'must be one emoji')
  .refine(isSingleEmoji, 'must be exactly one emoji (for example 👍 or ❤️), not text or several emoji');

/** The path parameters of `PUT`/`DELETE /messages/:id/reactions/:emoji` (the emoji decoded). */
export const reactionParams = z.object({ emoji: emojiSchema });
