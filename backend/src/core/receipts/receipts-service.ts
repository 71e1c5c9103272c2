/**
 * Read state and receipts: each member's cumulative "seen up to seq" (acks, which drive unread
 * counts), and for an author, who got and who read a message. What sockets were sent is saved
 * by delivery/delivery-tracker.ts.
 */
import type { MessageReceipts } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { forbidden, notFound } from '../errors.js';
import { MESSAGE_NOT_FOUND } from '../messages/messages-service.js';
import type { Database } from '../ports/database.js';
import { requireMember } from '../rooms/access.js';

export class ReceiptsService {
  constructor(private readonly db: Database) {}

  /** Records the caller's cumulative "seen up to seq"; silently ignores rooms it is not in. */
  async acknowledge(principal: Principal, roomId: string, seq: number): Promise<void> {
    await this.db.memberships.advanceAck(roomId, principal.user.id, seq);
  }

  /** Who got and who read a message: for its author only. */
  async ofMessage(principal: Principal, messageId: string): Promise<MessageReceipts> {
    const record = await this.db.messages.findRecord(messageId);
    if (!record) throw notFound(MESSAGE_NOT_FOUND);
    await requireMember(this.db, principal, record.roomId);
    if (record.authorId !== principal.user.id) throw forbidden('Only its author sees who got a message.');
    return {
      messageId,
      ...(await this.db.memberships.receiptsAt(record.roomId, record.seq, record.authorId)),
    };
  }
}
