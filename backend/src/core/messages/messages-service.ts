/**
 * Messages of a room: read a page of history, edit, delete. Messages are created by the job
 * worker from accepted jobs (jobs/job-processor.ts, through create-message.ts).
 */
import type { EventBase, Message } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { nowIso } from '../clock.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { recordMentions } from '../inbox/record-mentions.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/database.js';
import { withReactions } from '../reactions/with-reactions.js';
import { isModerator, requireMember } from '../rooms/access.js';
import type { MemberCheck } from '../rooms/member-check.js';
import { appendEvent } from '../rooms/room-log.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { withCurrentAuthors } from './with-current-authors.js';

export const MESSAGE_NOT_FOUND = 'No such message.';

export class MessagesService {
  constructor(
    private readonly db: Database,
    private readonly work: UnitOfWork,
    private readonly members: MemberCheck,
    private readonly blobs: BlobStore,
  ) {}

  /** A page in ascending seq: the newest `limit` below `before`, or the oldest above `after`. */
  async page(
    principal: Principal,
    roomId: string,
    query: { before?: number; after?: number; limit: number },
  ): Promise<{ messages: Message[]; hasMore: boolean }> {
    await this.members.require(principal, roomId);
    const page = await this.db.messages.page(
      roomId,
      { before: query.before, after: query.after },
      query.limit,
    );
    return {
      ...page,
      messages: await withReactions(this.db, await withCurrentAuthors(this.db, page.messages)),
    };
  }

  /** The author edits the text; the room log gets `message.edited` with the new message. */
  async edit(principal: Principal, messageId: string, text: string): Promise<Message> {
    const event = await this.work.run(async (tx) => {
      const record = await tx.messages.findRecord(messageId);
      if (!record) throw notFound(MESSAGE_NOT_FOUND);
      await requireMember(tx, principal, record.roomId);
      if (record.authorId !== principal.user.id) throw forbidden('Only its author can edit a message.');
      if (record.deletedAt) throw conflict('That message was deleted.');
      await tx.messages.updateText(messageId, text, nowIso());
      // Someone the edit names now finds it in their Mentions (as in Slack, naming someone in an
      // edit pushes nothing, and a mention edited away stays listed). The reply and thread
      // reasons were recorded when the message was created; existing rows are kept as they are.
      await recordMentions(tx, { ...record, text }, undefined);
      const found = await tx.messages.find(messageId);
      if (!found) throw notFound(MESSAGE_NOT_FOUND);
      const [message = found] = await withReactions(tx, [found]);
      return appendEvent<EventBase<'message.edited', { message: Message }>>(
        tx,
        record.roomId,
        principal.user,
        () => ({ type: 'message.edited', data: { message } }),
      );
    });
    return event.data.message;
  }

  /**
   * The author, or a room owner or admin, deletes; deleting twice changes nothing. The text and
   * file are really gone: blanked in the log's earlier events too, and the file's bytes removed.
   */
  async delete(principal: Principal, messageId: string): Promise<void> {
    const file = await this.work.run(async (tx) => {
      const record = await tx.messages.findRecord(messageId);
      if (!record) throw notFound(MESSAGE_NOT_FOUND);
      const { membership } = await requireMember(tx, principal, record.roomId);
      if (record.authorId !== principal.user.id && !isModerator(membership.role)) {
        throw forbidden('Only its author or a room admin can delete a message.');
      }
      if (record.deletedAt) return undefined;
      const file = record.fileId ? await tx.files.find(record.fileId) : undefined;
      await tx.messages.markDeleted(messageId, nowIso());
      await tx.reactions.deleteOfMessage(messageId);
      if (file) await tx.files.delete(file.id);
      await tx.events.redactMessage(messageId);
      await appendEvent(tx, record.roomId, principal.user, () => ({
        type: 'message.deleted' as const,
        data: { messageId },
      }));
      return file;
    });
    if (file) {
      // After the commit: a crash here leaves unreachable bytes, never a message pointing at nothing.
      await this.blobs.delete(file.blobKey).catch(() => {});
      if (file.thumbnailKey) await this.blobs.delete(file.thumbnailKey).catch(() => {});
    }
  }
}
