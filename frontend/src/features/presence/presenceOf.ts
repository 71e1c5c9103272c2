import type { Member } from '@parley/protocol';
import type { ChatState, PresenceStatus } from '../../state/ChatStore';

/**
 * A user's presence: the latest `presence` frame about them, else what their member list said
 * when it was read (`undefined` when neither is known).
 */
export function presenceOf(
  presence: ChatState['presence'],
  userId: string,
  members?: readonly Member[],
): PresenceStatus | undefined {
  const status = presence[userId];
  if (status) return status;
  const online = members?.find((member) => member.user.id === userId)?.online;
  return online === undefined ? undefined : online ? 'online' : 'offline';
}
