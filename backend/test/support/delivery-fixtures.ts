/** What the delivery unit tests share: a signed-in user and a small room event at a seq. */
import type { RoomEvent } from '@parley/protocol';
import type { Principal } from '../../src/core/accounts/principal.js';

/** User `u1` (ann) with a session that lasts an hour. */
export const ann: Principal = {
  user: { id: 'u1', username: 'ann', displayName: 'Ann', role: 'member', avatarUrl: null },
  sessionId: 's1',
  sessionExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
};

export function eventAt(roomId: string, seq: number): RoomEvent {
  return {
    roomId,
    seq,
    type: 'message.deleted',
    at: new Date(0).toISOString(),
    actor: { id: 'u2', username: 'bo', displayName: 'Bo' },
    data: { messageId: `m${seq}` },
  };
}
