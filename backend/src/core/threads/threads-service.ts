/**
 * Reading a thread: its root and a page of its replies. Replies are created like every message,
 * by the job worker (messages/create-message.ts), which also keeps the root's summary.
 */
import type { ThreadPage } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { notFound } from '../errors.js';
import { MESSAGE_NOT_FOUND } from '../messages/messages-service.js';
import { withCurrentAuthors } from '../messages/with-current-authors.js';
import type { Database } from '../ports/database.js';
import { withReactions } from '../reactions/with-reactions.js';
import type { MemberCheck } from '../rooms/member-check.js';

export class ThreadsService {
  constructor(
    private readonly db: Database,
    private readonly members: MemberCheck,
  ) {}

  /**
   * The thread of a message: asked of a reply, its root's thread. Only a room's members read it
   * (a private room's thread is not found for anyone else, as the room is).
   */
  async thread(
    principal: Principal,
    messageId: string,
    query: { after: number; limit: number },
  ): Promise<ThreadPage> {
    const record = await this.db.messages.findRecord(messageId);
    if (!record) throw notFound(MESSAGE_NOT_FOUND);
    await this.members.require(principal, record.roomId);
    const root = await this.db.messages.find(record.threadId ?? record.id);
    if (!root) throw notFound(MESSAGE_NOT_FOUND);
    const { replies, hasMore } = await this.db.messages.threadReplies(root.id, query.after, query.limit);
    const [withTheirs = root, ...repliesWithTheirs] = await withReactions(
      this.db,
      await withCurrentAuthors(this.db, [root, ...replies]),
    );
    return { root: withTheirs, replies: repliesWithTheirs, hasMore };
  }
}
