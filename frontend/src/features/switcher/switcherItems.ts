import type { Member, Room, User, UserRef } from '@parley/protocol';
import { roomLabel } from '../../util/roomLabel';
import { bestScore } from './fuzzy';

/** One line of the quick switcher: a room (joined or public), a DM, or a person to write to. */
export type SwitcherItem =
  | { kind: 'room'; key: string; room: Room; label: string; unread: number }
  | { kind: 'person'; key: string; user: UserRef };

/** The most rooms and people the switcher lists at once. */
const MAX_ROOMS = 8;
const MAX_PEOPLE = 5;

interface SwitcherSources {
  rooms: readonly Room[];
  me: User;
  members: Readonly<Record<string, Member[]>>;
  unread: Readonly<Record<string, number>>;
  /** People the server found for the query (GET /users?q=). */
  people: readonly UserRef[];
}

/**
 * What the switcher lists for a query: rooms best matching first (with no query, the rooms with
 * unread messages first, then the others by name), then people one has no DM open with.
 */
export function switcherItems(query: string, sources: SwitcherSources): SwitcherItem[] {
  const { rooms, me, members, unread, people } = sources;
  const withLabels = rooms.map((room) => ({
    room,
    label: roomLabel(room, me, members[room.id]),
    unread: unread[room.id] ?? 0,
  }));
  const typed = query.trim().replace(/^[#@]/, '');
  const roomItems = withLabels
    .map((entry) => ({ ...entry, score: typed ? bestScore(typed, [entry.label, entry.room.slug]) : 1 }))
    .filter((entry) => entry.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score ||
        (typed ? 0 : Number(b.unread > 0) - Number(a.unread > 0)) ||
        Number(b.room.membership !== null) - Number(a.room.membership !== null) ||
        a.label.localeCompare(b.label),
    )
    .slice(0, MAX_ROOMS)
    .map(
      ({ room, label, unread: count }): SwitcherItem => ({
        kind: 'room',
        key: `room:${room.id}`,
        room,
        label,
        unread: count,
      }),
    );
  // A person whose one-to-one DM is listed already is reached through it.
  const dmPeople = new Set(
    rooms
      .filter((room) => room.visibility === 'dm')
      .flatMap((room) => (members[room.id] ?? []).map((member) => member.user.id)),
  );
  const personItems = typed
    ? people
        .filter((user) => user.id !== me.id && !dmPeople.has(user.id))
        .map((user) => ({ user, score: bestScore(typed, [user.displayName, user.username]) }))
        .filter((entry) => entry.score > 0)
        .sort((a, b) => b.score - a.score || a.user.displayName.localeCompare(b.user.displayName))
        .slice(0, MAX_PEOPLE)
        .map(({ user }): SwitcherItem => ({ kind: 'person', key: `person:${user.id}`, user }))
    : [];
  return [...roomItems, ...personItems];
}
