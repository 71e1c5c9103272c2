import type { Message, Reaction, UserRef } from '@parley/protocol';

/**
 * A message's reactions with one person's reaction added or taken away. Idempotent by (person,
 * emoji): a live event for a reaction a freshly loaded page already shows, or one applied
 * optimistically before its event arrives, changes nothing the second time.
 */
export function withReaction(message: Message, emoji: string, user: UserRef, on: boolean): Message {
  const reactions = message.reactions ?? [];
  const existing = reactions.find((reaction) => reaction.emoji === emoji);
  const has = existing?.users.some((person) => person.id === user.id) ?? false;
  if (on === has || message.deleted) return message;
  let next: Reaction[];
  if (on) {
    // A new emoji goes last: chips stay in first-reacted order, as the server sends them.
    next = existing
      ? reactions.map((r) => (r === existing ? { ...r, count: r.count + 1, users: [...r.users, user] } : r))
      : [...reactions, { emoji, count: 1, users: [user] }];
  } else {
    next = reactions
      .map((r) =>
        r === existing
          ? { ...r, count: r.count - 1, users: r.users.filter((person) => person.id !== user.id) }
          : r,
      )
      .filter((r) => r.count > 0);
  }
  const { reactions: _old, ...rest } = message;
  return next.length > 0 ? { ...rest, reactions: next } : rest;
}

/** Whether this person reacted to the message with this emoji. */
export function hasReacted(message: Message, emoji: string, userId: string): boolean {
  return (
    message.reactions?.some((r) => r.emoji === emoji && r.users.some((person) => person.id === userId)) ??
    false
  );
}
