/**
 * What a permalink (`/r/<slug>/m/<id>`) needs: one message by id, and a page of its room's
 * history centred on it.
 */
import type { Message, MessagesAroundResponse } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { notFound } from '../errors.js';
import type { Database } from '../ports/database.js';
import { withReactions } from '../reactions/with-reactions.js';
import type { MemberCheck } from '../rooms/member-check.js';
import { MESSAGE_NOT_FOUND } from './messages-service.js';
import { withCurrentAuthors } from './with-current-authors.js';

export class PermalinksService {
  constructor(
    private readonly db: Database,
    private readonly members: MemberCheck,
  ) {}

  /**
   * The message, to a member of its room. To anyone else it does not exist (404), whatever the
   * room: a message id must not reveal which room, or that a private room, exists.
   */
  async message(principal: Principal, messageId: string): Promise<Message> {
    const message = await this.db.messages.find(messageId);
    if (!message) throw notFound(MESSAGE_NOT_FOUND);
    const membership = await this.db.memberships.find(message.roomId, principal.user.id);
    if (!membership) throw notFound(MESSAGE_NOT_FOUND);
    const [withTheirs = message] = await withReactions(this.db, [message]);
    return withTheirs;
  }

  /**
   * About `limit` messages in ascending seq around `seq`: the older half ending at `seq`
   * (included when it is a message), the newer half after it. Members only, as any history.
   */
  async around(
    principal: Principal,
    roomId: string,
    query: { around: number; limit: number },
  ): Promise<MessagesAroundResponse> {
    await this.members.require(principal, roomId);
    const olderCount = Math.ceil(query.limit / 2);
    const newerCount = query.limit - olderCount;
    const older = await this.db.messages.page(roomId, { before: query.around + 1 }, olderCount);
    const newer =
      newerCount > 0
        ? await this.db.messages.page(roomId, { after: query.around }, newerCount)
        : await this.db.messages.page(roomId, { after: query.around }, 1).then((page) => ({
            messages: [],
            hasMore: page.messages.length > 0,
          }));
    return {
      messages: await withReactions(
        this.db,
        await withCurrentAuthors(this.db, [...older.messages, ...newer.messages]),
      ),
      hasMore: older.hasMore,
      hasMoreAfter: newer.hasMore,
    };
  }
}
