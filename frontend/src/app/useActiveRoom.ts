import type { Member, Room } from '@parley/protocol';
import { useMemo } from 'react';
import type { ChatState } from '../state/ChatStore';
import { type OutboxItem, visibleOutbox } from '../state/outbox';
import { emptyTimeline, type RoomTimeline } from '../state/timeline';
import { roomLabel } from '../util/roomLabel';

/** The open room as the layout shows it. */
export interface ActiveRoom {
  /** Null until the room list has loaded, or when one is in no room at all. */
  roomId: string | null;
  room: Room | undefined;
  /** Its member list, once asked for. */
  members: Member[] | undefined;
  /** Its name as shown: the room's name, or a DM's other people. */
  title: string;
  direct: boolean;
  timeline: RoomTimeline | undefined;
  /** One's own messages on their way to it. */
  pending: OutboxItem[];
}

export function useActiveRoom(state: ChatState): ActiveRoom {
  const roomId = state.activeRoomId;
  // The same array while the outbox is unchanged, so that the message list need not rebuild its rows.
  const pending = useMemo(() => (roomId ? visibleOutbox(state.outbox, roomId) : []), [state.outbox, roomId]);
  const room = state.rooms.find((candidate) => candidate.id === roomId);
  const members = roomId ? state.members[roomId] : undefined;
  return {
    roomId,
    room,
    members,
    title: room ? roomLabel(room, state.me, members) : '',
    direct: room?.visibility === 'dm',
    timeline: roomId ? (state.timelines[roomId] ?? emptyTimeline(roomId)) : undefined,
    pending,
  };
}
