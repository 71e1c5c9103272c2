import type { EventBase, Message } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { Database } from '../ports/database.js';
import type { FanOut } from '../ports/fan-out.js';
import { isModerator, requireMember } from '../rooms/access.js';
import { appendEvent } from '../rooms/room-log.js';

const MESSAGE_NOT_FOUND = 'No such message.';

export class MessagesService {
  constructor(
    private readonly db: Database,
    private readonly fanOut: FanOut,
  ) {}

  /** The author edits the text; the room log gets `message.edited` with the new message. */
  async edit(principal: Principal, messageId: string, text: string): Promise<Message> {
    const event = await this.db.transaction(async (tx) => {
      const record = await tx.messages.findRecord(messageId);
      if (!record) throw notFound(MESSAGE_NOT_FOUND);
      await requireMember(tx, principal, record.roomId);
      if (record.authorId !== principal.user.id) throw forbidden('Only its author can edit a message.');
      if (record.deletedAt) throw conflict('That message was deleted.');
      const editedAt = new Date().toISOString();
      await tx.messages.updateText(messageId, text, editedAt);
      const message = await tx.messages.find(messageId);
      if (!message) throw notFound(MESSAGE_NOT_FOUND);
      return appendEvent<EventBase<'message.edited', { message: Message }>>(
        tx,
        record.roomId,
        principal.user,
        () => ({ type: 'message.edited', data: { message } }),
      );
    });
    this.fanOut.publish({ kind: 'room-event', event });
    return event.data.message;
  }

  /** The author, or a room owner or admin, deletes; deleting twice changes nothing. */
  async delete(principal: Principal, messageId: string): Promise<void> {
    const event = await this.db.transaction(async (tx) => {
      const record = await tx.messages.findRecord(messageId);
      if (!record) throw notFound(MESSAGE_NOT_FOUND);
      const { membership } = await requireMember(tx, principal, record.roomId);
      if (record.authorId !== principal.user.id && !isModerator(membership.role)) {
        throw forbidden('Only its author or a room admin can delete a message.');
      }
      if (record.deletedAt) return undefined;
      await tx.messages.markDeleted(messageId, new Date().toISOString());
      return appendEvent(tx, record.roomId, principal.user, () => ({
        type: 'message.deleted' as const,
        data: { messageId },
      }));
    });
    if (event) this.fanOut.publish({ kind: 'room-event', event });
  }
}
