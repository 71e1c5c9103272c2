import type { Member, Message, Room, User } from '@parley/protocol';
import type { ChatState } from './ChatStore';
import type { RoomTimeline, SystemEvent } from './timeline';

/**
 * What this device keeps of the signed-in user's chat so that a reload without a network still
 * draws the app: who one is, the room list, which room was open and the newest messages of the
 * rooms opened last. Only ever one user's (the last one signed in here), never anything the
 * user could not read, and removed on sign-out (see `offlineCopyStorage.ts`).
 *
 * A kept timeline keeps its `cursor`: after the reload the live connection resumes from it, so
 * the server replays exactly what happened meanwhile, as after any reconnect.
 */
export interface OfflineCopy {
  version: 1;
  savedAt: string;
  me: User;
  rooms: Room[];
  activeRoomId: string | null;
  timelines: KeptTimeline[];
  /** The members of direct messages, which name them in the sidebar. */
  dmMembers?: Record<string, Member[]>;
}

export interface KeptTimeline {
  roomId: string;
  messages: Message[];
  notices: SystemEvent[];
  cursor: number;
  hasMore: boolean;
}

/** Rooms whose messages are kept: the open one and those opened just before it. */
export const KEPT_ROOMS = 5;
/** Newest messages kept per room: about a screen and a half. */
export const KEPT_MESSAGES = 40;
/** The whole copy stays under this many characters of JSON (localStorage holds about 5 M). */
export const MAX_COPY_CHARS = 1_000_000;
/** Rooms listed at most (the sidebar of someone in very many rooms is cut, not the storage). */
const KEPT_ROOM_LIST = 500;

/**
 * The copy of `state` worth keeping: the rooms in `recentRoomIds` (newest first) that have a
 * loaded timeline, each cut to its newest messages, the whole bounded to MAX_COPY_CHARS by
 * dropping the least recent rooms' messages first.
 */
export function toOfflineCopy(
  state: ChatState,
  recentRoomIds: readonly string[],
  now = new Date(),
): OfflineCopy {
  const kept = recentRoomIds
    .map((roomId) => state.timelines[roomId])
    .filter((timeline): timeline is RoomTimeline => timeline?.loaded === true)
    .slice(0, KEPT_ROOMS)
    .map(keepTimeline);
  const copy: OfflineCopy = {
    version: 1,
    savedAt: now.toISOString(),
    me: state.me,
    rooms: state.rooms.filter((room) => room.membership !== null).slice(0, KEPT_ROOM_LIST),
    activeRoomId: state.activeRoomId,
    timelines: kept,
    dmMembers: Object.fromEntries(
      state.rooms
        .filter((room) => room.visibility === 'dm' && state.members[room.id] !== undefined)
        .slice(0, KEPT_ROOM_LIST)
        .map((room) => [room.id, state.members[room.id] ?? []]),
    ),
  };
  while (copy.timelines.length > 0 && JSON.stringify(copy).length > MAX_COPY_CHARS) copy.timelines.pop();
  return copy;
}

function keepTimeline(timeline: RoomTimeline): KeptTimeline {
  const messages = timeline.messages.slice(-KEPT_MESSAGES);
  const oldest = messages[0]?.seq ?? timeline.cursor;
  return {
    roomId: timeline.roomId,
    messages,
    notices: timeline.notices.filter((notice) => notice.seq >= oldest),
    cursor: timeline.cursor,
    hasMore: timeline.hasMore || messages.length < timeline.messages.length,
  };
}

/**
 * The state drawn from a copy, before the server is reached: the rooms, the open room and the
 * kept timelines as loaded (so the connection resumes them from their cursors). `fromOfflineCopy`
 * says when it was kept, until the server answers.
 */
export function restoreOfflineCopy(state: ChatState, copy: OfflineCopy): ChatState {
  const timelines: Record<string, RoomTimeline> = { ...state.timelines };
  for (const kept of copy.timelines) {
    timelines[kept.roomId] = { ...kept, loaded: true, loadingOlder: false };
  }
  const open = copy.rooms.some((room) => room.id === copy.activeRoomId)
    ? copy.activeRoomId
    : (copy.rooms[0]?.id ?? null);
  return {
    ...state,
    rooms: copy.rooms,
    roomsLoaded: true,
    activeRoomId: open,
    missingRoomSlug: null,
    timelines,
    members: { ...copy.dmMembers, ...state.members },
    fromOfflineCopy: copy.savedAt,
  };
}

/** A parsed value that has the copy's shape (anything else, e.g. an older version, is ignored). */
export function isOfflineCopy(value: unknown): value is OfflineCopy {
  if (typeof value !== 'object' || value === null) return false;
  const copy = value as Partial<OfflineCopy>;
  return (
    copy.version === 1 &&
    typeof copy.savedAt === 'string' &&
    typeof copy.me?.id === 'string' &&
    Array.isArray(copy.rooms) &&
    Array.isArray(copy.timelines) &&
    copy.timelines.every(
      (kept) =>
        typeof kept?.roomId === 'string' && Array.isArray(kept.messages) && Array.isArray(kept.notices),
    )
  );
}
