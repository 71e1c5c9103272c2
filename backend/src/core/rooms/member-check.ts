/**
 * The membership check of the hot paths (sending, reading history, downloading files): the
 * database's "yes, a member" is remembered for a few seconds, so a busy user does not cost a
 * room and a membership query per message. Leaving or being removed forgets it at once (the
 * fan-out message that stops the user's sockets), and a refusal is never remembered, so a user
 * who just joined is let in straight away. Checks inside a transaction use access.ts directly.
 * That forgetting is synchronous only in one process: scaled out, a removal on another instance
 * would arrive here by pub/sub, after its 204, and the contract lets only members read or send,
 * so there the cache is off (`ttlMs` 0) and every check reads the database.
 */
import type { Principal } from '../accounts/principal.js';
import { ExpiringCache } from '../cache/expiring-cache.js';
import type { Database } from '../ports/database.js';
import type { FanOut } from '../ports/fan-out.js';
import { requireMember } from './access.js';

const TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;

const keyOf = (roomId: string, userId: string) => `${roomId}\u0000${userId}`;

export class MemberCheck {
  private readonly members: ExpiringCache<string, true>;

  constructor(
    private readonly db: Database,
    fanOut: FanOut,
    ttlMs = TTL_MS,
  ) {
    this.members = new ExpiringCache(ttlMs, MAX_ENTRIES);
    fanOut.subscribe((message) => {
      if (message.kind === 'membership-changed' && !message.member) {
        const key = keyOf(message.roomId, message.userId);
        this.members.invalidate((cached) => cached === key);
      }
    });
  }

  /** Throws like access.requireMember (not_found for an unseen room, forbidden when not joined). */
  async require(principal: Principal, roomId: string): Promise<void> {
    await this.members.getOrLoad(keyOf(roomId, principal.user.id), async () => {
      await requireMember(this.db, principal, roomId);
      return true;
    });
  }
}
