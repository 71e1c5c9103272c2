import type { Message, RoomEvent } from '@parley/protocol';
import { withReaction } from './reactions';
import { withThreadReply } from './threads';

/**
 * What the app knows of one room's log: the messages loaded so far (ascending seq) and the
 * cursor, the highest seq whose effect is reflected. Events at or below the cursor are
 * duplicates; an event above cursor + 1 means a gap that must be filled before it is applied.
 */
export interface RoomTimeline {
  roomId: string;
  messages: Message[];
  cursor: number;
  /** Older history exists on the server. */
  hasMore: boolean;
  loaded: boolean;
  loadingOlder: boolean;
  /** Membership and room changes, drawn as compact lines between the messages (ascending seq). */
  notices: SystemEvent[];
}

/** The room events that are not messages: who joined or left, role changes, renames. */
export type SystemEvent = Extract<
  RoomEvent,
  { type: 'member.joined' | 'member.left' | 'member.role_changed' | 'room.updated' }
>;

export function isSystemEvent(event: RoomEvent): event is SystemEvent {
  return (
    event.type === 'member.joined' ||
    event.type === 'member.left' ||
    event.type === 'member.role_changed' ||
    event.type === 'room.updated'
  );
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'gap';

/** Per loaded room, the seq to resume the live connection from. */
export function resumeCursors(timelines: Readonly<Record<string, RoomTimeline>>): Record<string, number> {
  const cursors: Record<string, number> = {};
  for (const [roomId, timeline] of Object.entries(timelines)) {
    if (timeline.loaded) cursors[roomId] = timeline.cursor;
  }
  return cursors;
}

export function emptyTimeline(roomId: string): RoomTimeline {
  return {
    roomId,
    messages: [],
    cursor: 0,
    hasMore: true,
    loaded: false,
    loadingOlder: false,
    notices: [],
  };
}

/**
 * Merges the newest page of history. `knownLastSeq` is a room `lastSeq` read before the page was
 * fetched: everything up to it, and up to the page's newest message, is already in the page.
 */
export function withLatestPage(
  timeline: RoomTimeline,
  page: Message[],
  hasMore: boolean,
  knownLastSeq = 0,
): RoomTimeline {
  const newest = page.reduce((max, message) => Math.max(max, message.seq), 0);
  return {
    ...timeline,
    messages: mergeMessages(timeline.messages, page),
    cursor: Math.max(timeline.cursor, knownLastSeq, newest),
    hasMore: timeline.loaded ? timeline.hasMore : hasMore,
    loaded: true,
  };
}

/** Merges an older page (fetched with `before`); the cursor does not move. */
export function withOlderPage(timeline: RoomTimeline, page: Message[], hasMore: boolean): RoomTimeline {
  return { ...timeline, messages: mergeMessages(page, timeline.messages), hasMore, loadingOlder: false };
}

/** The seq to ask older history `before`: the oldest loaded message. */
export function oldestSeq(timeline: RoomTimeline): number | undefined {
  return timeline.messages[0]?.seq;
}

/** Applies one event if it is the next one; says whether it was applied, a duplicate or past a gap. */
export function applyEvent(
  timeline: RoomTimeline,
  event: RoomEvent,
): { timeline: RoomTimeline; outcome: ApplyOutcome } {
  if (event.seq <= timeline.cursor) return { timeline, outcome: 'duplicate' };
  if (event.seq > timeline.cursor + 1) return { timeline, outcome: 'gap' };
  return { timeline: { ...applyToMessages(timeline, event), cursor: event.seq }, outcome: 'applied' };
}

/** Replaces a message in place (an edit answered by PATCH); ignored if it is not loaded. */
export function withMessage(timeline: RoomTimeline, message: Message): RoomTimeline {
  if (!timeline.messages.some((m) => m.id === message.id)) return timeline;
  return { ...timeline, messages: timeline.messages.map((m) => (m.id === message.id ? message : m)) };
}

export function hasMessage(timeline: RoomTimeline | undefined, messageId: string): boolean {
  return timeline?.messages.some((message) => message.id === messageId) ?? false;
}

function applyToMessages(timeline: RoomTimeline, event: RoomEvent): RoomTimeline {
  switch (event.type) {
    case 'message.created': {
      const created = event.data.message;
      // A reply is counted on its root once (state/threads.ts); a message already loaded is not new.
      const counted =
        created.threadId !== undefined && !timeline.messages.some((m) => m.id === created.id)
          ? withThreadReply(timeline.messages, created)
          : timeline.messages;
      return { ...timeline, messages: mergeMessages(counted, [created]) };
    }
    case 'message.edited': {
      const edited = event.data.message;
      const known = timeline.messages.some((m) => m.id === edited.id);
      // An edit of a message older than the loaded history stays out until that page is loaded.
      const oldest = oldestSeq(timeline);
      if (!known && timeline.hasMore && oldest !== undefined && edited.seq < oldest) return timeline;
      return { ...timeline, messages: mergeMessages(timeline.messages, [edited]) };
    }
    case 'message.deleted': {
      const { messageId } = event.data;
      return {
        ...timeline,
        messages: timeline.messages.map((m) => (m.id === messageId ? deletedMessage(m, event.at) : m)),
      };
    }
    case 'reaction.added':
    case 'reaction.removed': {
      const { messageId, emoji, user } = event.data;
      const on = event.type === 'reaction.added';
      return {
        ...timeline,
        messages: timeline.messages.map((m) => (m.id === messageId ? withReaction(m, emoji, user, on) : m)),
      };
    }
    default:
      return isSystemEvent(event) ? withNotices(timeline, [event]) : timeline;
  }
}

/** Merges system events (from live events or the history of /events), once each, by seq. */
export function withNotices(timeline: RoomTimeline, events: SystemEvent[]): RoomTimeline {
  const fresh = events.filter((event) => !timeline.notices.some((known) => known.seq === event.seq));
  if (fresh.length === 0) return timeline;
  return { ...timeline, notices: [...timeline.notices, ...fresh].sort((a, b) => a.seq - b.seq) };
}

function deletedMessage(message: Message, at: string): Message {
  const { attachment: _attachment, reactions: _reactions, ...rest } = message;
  return { ...rest, text: '', deleted: true, editedAt: message.editedAt ?? at };
}

/** Union by message id (the later list wins), sorted by seq. */
function mergeMessages(first: Message[], second: Message[]): Message[] {
  const byId = new Map<string, Message>();
  for (const message of first) byId.set(message.id, message);
  for (const message of second) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}
