/**
 * Messages show their authors as they are now. A message's stored view (messages.view) holds
 * its author's name and avatar as they were when it was written; a rename would otherwise have
 * to rewrite every view of everything the person ever wrote (and the repliers in thread
 * summaries). Instead, a page's people are read beside it, one query by primary key for the
 * page's distinct authors and repliers, and put in place here: a rename costs one row.
 */
import type { Message, UserRef } from '@parley/protocol';
import { toProfileRef } from '../accounts/principal.js';
import type { Repositories } from '../ports/database.js';

/** The messages with `author` (and the thread summary's `lastRepliers`) as the users are now. */
export async function withCurrentAuthors(
  repos: Pick<Repositories, 'users'>,
  messages: Message[],
): Promise<Message[]> {
  if (messages.length === 0) return messages;
  const ids = new Set<string>();
  for (const message of messages) {
    ids.add(message.author.id);
    for (const replier of message.thread?.lastRepliers ?? []) ids.add(replier.id);
  }
  const now = new Map((await repos.users.findByIds([...ids])).map((user) => [user.id, toProfileRef(user)]));
  const current = (user: UserRef): UserRef => now.get(user.id) ?? user;
  return messages.map((message) => ({
    ...message,
    author: current(message.author),
    ...(message.thread
      ? { thread: { ...message.thread, lastRepliers: message.thread.lastRepliers.map(current) } }
      : {}),
  }));
}
