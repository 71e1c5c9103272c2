import type { Member } from '@parley/protocol';
import type { ChatState } from '../../state/ChatStore';

/**
 * Whether a user is online: the latest `presence` frame about them, else what their member
 * list said when it was read (`undefined` when neither is known).
 */
export function isOnline(
  presence: ChatState['presence'],
  userId: string,
  members?: readonly Member[],
): boolean | undefined {
  const status = presence[userId];
  if (status) return status === 'online';
  return members?.find((member) => member.user.id === userId)?.online;
}
