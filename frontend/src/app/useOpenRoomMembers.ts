import { useEffect } from 'react';
import type { ChatClient } from '../chat/ChatClient';
import type { ActiveRoom } from './useActiveRoom';

/**
 * Loads the open room's member list once; member events keep it fresh from then on. The header
 * shows its count, and a DM is named after its people.
 */
export function useOpenRoomMembers(client: ChatClient, { roomId, room, members }: ActiveRoom): void {
  const membership = room?.membership;
  const membersLoaded = members !== undefined;
  useEffect(() => {
    if (roomId && membership && !membersLoaded) void client.loadMembers(roomId);
  }, [client, roomId, membership, membersLoaded]);
}
