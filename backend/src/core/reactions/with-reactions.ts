/**
 * Messages as clients see them carry their reactions. The stored message view (messages.view)
 * does not hold them, since a reaction would then rewrite the view; they are read beside it,
 * one query per page, and attached here.
 */
import type { Message } from '@parley/protocol';
import type { Repositories } from '../ports/database.js';

/** The messages, each with `reactions` when it has any (absent otherwise). */
export async function withReactions(
  repos: Pick<Repositories, 'reactions'>,
  messages: Message[],
): Promise<Message[]> {
  const live = messages.filter((message) => !message.deleted).map((message) => message.id);
  if (live.length === 0) return messages;
  const reactions = await repos.reactions.ofMessages(live);
  if (reactions.size === 0) return messages;
  return messages.map((message) => {
    const own = reactions.get(message.id);
    return own ? { ...message, reactions: own } : message;
  });
}
