/**
 * Emoji reactions on messages. Each change is a room-log event (`reaction.added`,
 * `reaction.removed`, actor = the reacting user), so resume, catch-up and receipts cover it like
 * any other change; adding a reaction one already has, or removing one that is not there,
 * changes nothing and appends nothing.
 */
import { type EventBase, REACTION_LIMITS, type Reaction, type ReactionEventData } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { toUserRef } from '../accounts/principal.js';
import { nowIso } from '../clock.js';
import { AppError, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { MESSAGE_NOT_FOUND } from '../messages/messages-service.js';
import type { Repositories } from '../ports/database.js';
import { requireMember } from '../rooms/access.js';
import { appendEvent } from '../rooms/room-log.js';
import type { Transaction, UnitOfWork } from '../unit-of-work.js';

export type ReactionEvent = EventBase<'reaction.added' | 'reaction.removed', ReactionEventData>;

export class ReactionsService {
  constructor(private readonly work: UnitOfWork) {}

  /** Reacts with `emoji` (already validated as one emoji); returns the message's reactions. */
  async add(principal: Principal, messageId: string, emoji: string): Promise<Reaction[]> {
    return this.work.run(async (tx) => {
      const target = await this.reactable(tx, principal, messageId);
      const added = await tx.reactions.add({
        id: newId(),
        messageId,
        roomId: target.roomId,
        userId: principal.user.id,
        emoji,
        at: nowIso(),
      });
      if (added) {
        // Counted after the insert: the message is locked, so no other new emoji can slip in.
        if ((await tx.reactions.distinctEmojiOf(messageId)) > REACTION_LIMITS.distinctPerMessage) {
          throw conflict(
            `A message can carry at most ${REACTION_LIMITS.distinctPerMessage} different emoji; react with one already there.`,
          );
        }
        await this.append(tx, 'reaction.added', target.roomId, principal, messageId, emoji);
      }
      return this.reactionsOf(tx, messageId);
    });
  }

  /** Takes one's reaction back; nothing happens when there was none. */
  async remove(principal: Principal, messageId: string, emoji: string): Promise<void> {
    await this.work.run(async (tx) => {
      const target = await this.reactable(tx, principal, messageId);
      if (await tx.reactions.remove(messageId, principal.user.id, emoji)) {
        await this.append(tx, 'reaction.removed', target.roomId, principal, messageId, emoji);
      }
    });
  }

  /**
   * The message, locked, when the caller may react to it: a member of its room (a private
   * room's message is not found by others, like the room) and the message not deleted.
   */
  private async reactable(tx: Transaction, principal: Principal, messageId: string) {
    const target = await tx.reactions.lockMessage(messageId);
    if (!target) throw notFound(MESSAGE_NOT_FOUND);
    await requireMember(tx, principal, target.roomId).catch((error: unknown) => {
      // "No such room" would tell a stranger the message exists: answer as for an unknown id.
      throw error instanceof AppError && error.code === 'not_found' ? notFound(MESSAGE_NOT_FOUND) : error;
    });
    if (target.deleted) throw conflict('That message was deleted.');
    return target;
  }

  private async append(
    tx: Transaction,
    type: ReactionEvent['type'],
    roomId: string,
    principal: Principal,
    messageId: string,
    emoji: string,
  ): Promise<void> {
    await appendEvent<ReactionEvent>(tx, roomId, principal.user, () => ({
      type,
      data: { messageId, emoji, user: toUserRef(principal.user) },
    }));
  }

  private async reactionsOf(repos: Repositories, messageId: string): Promise<Reaction[]> {
    return (await repos.reactions.ofMessages([messageId])).get(messageId) ?? [];
  }
}
