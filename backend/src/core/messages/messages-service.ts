import type { EventBase, Message, MessageReceipts } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/database.js';
import type { FanOut } from '../ports/fan-out.js';
import { isModerator, requireMember } from '../rooms/access.js';
import { appendEvent } from '../rooms/room-log.js';

const MESSAGE_NOT_FOUND = 'No such message.';

export class MessagesService {
  constructor(
    private readonly db: Database,
    private readonly fanOut: FanOut,
    private readonly blobs: BlobStore,
  ) {}

  /** Who got and who read a message: for its author only. */
  async receipts(principal: Principal, messageId: string): Promise<MessageReceipts> {
    const record = await this.db.messages.findRecord(messageId);
    if (!record) throw notFound(MESSAGE_NOT_FOUND);
    await requireMember(this.db, principal, record.roomId);
    if (record.authorId !== principal.user.id) throw forbidden('Only its author sees who got a message.');
    return {
      messageId,
      ...(await this.db.memberships.receiptsAt(record.roomId, record.seq, record.authorId)),
    };
  }

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

  /**
   * The author, or a room owner or admin, deletes; deleting twice changes nothing. The text and
   * file are really gone: blanked in the log's earlier events too, and the file's bytes removed.
   */
  async delete(principal: Principal, messageId: string): Promise<void> {
    const result = await this.db.transaction(async (tx) => {
      const record = await tx.messages.findRecord(messageId);
      if (!record) throw notFound(MESSAGE_NOT_FOUND);
      const { membership } = await requireMember(tx, principal, record.roomId);
      if (record.authorId !== principal.user.id && !isModerator(membership.role)) {
        throw forbidden('Only its author or a room admin can delete a message.');
      }
      if (record.deletedAt) return undefined;
      const file = record.fileId ? await tx.files.find(record.fileId) : undefined;
      await tx.messages.markDeleted(messageId, new Date().toISOString());
      if (file) await tx.files.delete(file.id);
      await tx.events.redactMessage(messageId);
      const event = await appendEvent(tx, record.roomId, principal.user, () => ({
        type: 'message.deleted' as const,
        data: { messageId },
      }));
      return { event, file };
    });
    if (!result) return;
    this.fanOut.publish({ kind: 'room-event', event: result.event });
    if (result.file) {
      // After the commit: a crash here leaves unreachable bytes, never a message pointing at nothing.
      await this.blobs.delete(result.file.blobKey).catch(() => {});
      if (result.file.thumbnailKey) await this.blobs.delete(result.file.thumbnailKey).catch(() => {});
    }
  }
}
