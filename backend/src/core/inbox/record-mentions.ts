/**
 * Who a new message calls on, written in its own transaction (so the Mentions inbox and Web
 * Push read what the log says, never a guess): members it names (`@username`), everyone
 * (`@room` / `@here`, one row for the room), the author of the message it replies to, and
 * whoever started or replied in its thread. The rule for names is the one the web app
 * highlights with (`mentionsOf` in @parley/protocol). A plain message that is no reply costs no
 * query at all.
 */
import { MENTION_REASONS, type MentionReason, mentionsOf, ROOM_WIDE_MENTIONS } from '@parley/protocol';
import { EVERYONE, type MentionRecord } from '../ports/mentions.js';
import type { MessageRecord } from '../ports/records.js';
import type { Transaction } from '../unit-of-work.js';

export async function recordMentions(
  tx: Transaction,
  message: MessageRecord,
  repliedAuthorId: string | undefined,
): Promise<void> {
  const names = mentionsOf(message.text);
  const reasons = new Map<string, MentionReason>();
  const add = (recipientId: string, reason: MentionReason) => {
    if (recipientId === message.authorId) return; // Nobody is notified of their own words.
    const known = reasons.get(recipientId);
    if (!known || MENTION_REASONS.indexOf(reason) < MENTION_REASONS.indexOf(known)) {
      reasons.set(recipientId, reason);
    }
  };
  const people = names.filter((name) => !ROOM_WIDE_MENTIONS.has(name));
  for (const id of await tx.mentions.membersNamed(message.roomId, people)) add(id, 'mention');
  if (names.some((name) => ROOM_WIDE_MENTIONS.has(name))) {
    reasons.set(EVERYONE, 'room'); // The author is left out when it is read.
  }
  if (repliedAuthorId) add(repliedAuthorId, 'reply');
  if (message.threadId) {
    for (const id of await tx.mentions.threadParticipants(message.threadId)) add(id, 'thread');
  }
  const rows: MentionRecord[] = [...reasons].map(([recipientId, reason]) => ({
    recipientId,
    messageId: message.id,
    roomId: message.roomId,
    seq: message.seq,
    reason,
  }));
  await tx.mentions.insert(rows);
}
