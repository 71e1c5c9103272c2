import type { Member, Room, RoomEvent } from '@parley/protocol';
import type { NewRoom } from '../api/ApiClient';
import { isApiError } from '../api/ApiError';
import type { ChatStore } from '../state/ChatStore';
import type { AckTracker } from './AckTracker';
import type { ChatContext } from './ChatContext';

export interface RoomDirectoryOptions {
  /**
   * The room to open first (from a deep link such as `/r/<slug>`); `general` when absent. A slug
   * that names no room one can open is kept as `missingRoomSlug`, and no room opens.
   */
  initialRoomSlug: string | undefined;
  /** Events of rooms not known yet (one was added to them) are gathered this long before GET /rooms, in ms. */
  refreshDelayMs: number;
  acks: Pick<AckTracker, 'raiseFloor' | 'countUnread' | 'forgetRoom'>;
}

const DEFAULT_ROOM_SLUG = 'general';
/** Pages of `/events` read to catch up on a room at start (200 events each). */
const CATCH_UP_PAGES = 5;

/**
 * The room list and the members of rooms: loading them, the membership actions (create, join,
 * leave, DMs, members and roles) and what membership events mean for the sidebar. Which room is
 * to open, and that one left a room, it tells with `roomChosen` and `roomLeft`.
 */
export class RoomDirectory {
  private readonly store: ChatStore;
  private roomsRefresh: ReturnType<typeof setTimeout> | undefined;
  private readonly membersRefresh = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly ctx: ChatContext,
    private readonly options: RoomDirectoryOptions,
  ) {
    this.store = ctx.store;
  }

  stop(): void {
    clearTimeout(this.roomsRefresh);
    for (const timer of this.membersRefresh.values()) clearTimeout(timer);
  }

  /**
   * Reads the room list; rooms new to the list are caught up for their unread counts, or every
   * room with `catchUpAll` (the list on screen came from the offline copy, not the server).
   */
  async loadRooms(catchUpAll = false): Promise<void> {
    try {
      const rooms = await this.ctx.api.rooms();
      const known = new Set(this.store.getState().rooms.map((room) => room.id));
      this.store.update((state) => {
        const joined = rooms.filter((room) => room.membership !== null);
        const stillThere = rooms.some((room) => room.id === state.activeRoomId);
        const wanted = this.options.initialRoomSlug;
        // A link to a room one cannot open says so, rather than silently showing #general.
        const missingRoomSlug = state.roomsLoaded
          ? state.missingRoomSlug
          : wanted !== undefined && !rooms.some((room) => room.slug === wanted)
            ? wanted
            : null;
        const fallback =
          rooms.find((room) => room.slug === wanted) ??
          rooms.find((room) => room.slug === DEFAULT_ROOM_SLUG) ??
          joined[0] ??
          rooms[0];
        const activeRoomId = stillThere
          ? state.activeRoomId
          : missingRoomSlug !== null
            ? null
            : (fallback?.id ?? null);
        return {
          ...state,
          rooms: rooms.map((room) => keepNewest(room, state.rooms)),
          roomsLoaded: true,
          activeRoomId,
          missingRoomSlug: activeRoomId === null ? missingRoomSlug : null,
        };
      });
      for (const room of rooms) {
        if ((known.has(room.id) && !catchUpAll) || room.membership === null) continue;
        void this.catchUp(room);
        if (room.visibility === 'dm') void this.loadMembers(room.id);
      }
    } catch (error) {
      this.ctx.report(error);
    }
  }

  /** Creates a room (the caller owns it) and opens it. Errors are thrown for the form to show. */
  async createRoom(body: NewRoom): Promise<Room> {
    const room = await this.ctx.api.createRoom(body);
    this.rememberRoom(room);
    this.ctx.events.emit('roomChosen', { roomId: room.id });
    return room;
  }

  /** Joins a public room from the directory and opens it. */
  async joinRoom(roomId: string): Promise<Room> {
    const room = await this.ctx.api.joinRoom(roomId);
    this.rememberRoom(room);
    this.ctx.events.emit('roomChosen', { roomId: room.id });
    return room;
  }

  /** Opens the direct message with `username` (created on first use). */
  async openDm(username: string): Promise<Room> {
    const room = await this.ctx.api.openDm(username.trim());
    this.rememberRoom(room);
    void this.loadMembers(room.id);
    this.ctx.events.emit('roomChosen', { roomId: room.id });
    return room;
  }

  async updateRoom(roomId: string, changes: { name?: string; topic?: string }): Promise<void> {
    const room = await this.ctx.api.updateRoom(roomId, changes);
    this.patchRoom(roomId, { name: room.name, topic: room.topic });
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.ctx.api.leaveRoom(roomId);
    this.leftRoom(roomId, null);
  }

  /** Public rooms are listed before one joins them; their history is for members only. */
  async joinIfPublic(roomId: string): Promise<void> {
    const room = this.store.getState().rooms.find((candidate) => candidate.id === roomId);
    if (!room || room.membership !== null || room.visibility !== 'public') return;
    const joined = await this.ctx.api.joinRoom(roomId);
    this.store.update((state) => ({
      ...state,
      rooms: state.rooms.map((candidate) => (candidate.id === joined.id ? joined : candidate)),
    }));
  }

  async loadMembers(roomId: string): Promise<void> {
    try {
      const members = await this.ctx.api.members(roomId);
      this.setMembers(roomId, members);
    } catch (error) {
      // A room one was just removed from answers 404: that is no news worth a banner; nor is
      // the network being away (the offline banner says so, and `ready` asks again).
      if (!(isApiError(error) && (error.status === 404 || error.code === 'network_error')))
        this.ctx.report(error);
    }
  }

  async addMember(roomId: string, username: string): Promise<void> {
    const member = await this.ctx.api.addMember(roomId, username.trim());
    const members = this.store.getState().members[roomId] ?? [];
    if (!members.some((known) => known.user.id === member.user.id))
      this.setMembers(roomId, [...members, member]);
  }

  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.ctx.api.removeMember(roomId, userId);
    const members = this.store.getState().members[roomId] ?? [];
    this.setMembers(
      roomId,
      members.filter((member) => member.user.id !== userId),
    );
  }

  async setMemberRole(roomId: string, userId: string, role: 'admin' | 'member'): Promise<void> {
    const updated = await this.ctx.api.setMemberRole(roomId, userId, role);
    const members = this.store.getState().members[roomId] ?? [];
    this.setMembers(
      roomId,
      members.map((member) => (member.user.id === userId ? updated : member)),
    );
  }

  /**
   * What a room event (live or replayed) means for the room list and member lists. False when
   * it took one out of the room: then nothing more is to be done with it.
   */
  noteEvent(event: RoomEvent): boolean {
    const state = this.store.getState();
    const room = state.rooms.find((candidate) => candidate.id === event.roomId);
    const aboutMe = 'user' in event.data && event.data.user.id === state.me.id;
    if (event.type === 'member.left' && aboutMe) {
      // Removed (or left elsewhere): nothing more comes from this room.
      this.leftRoom(event.roomId, event.actor.id === state.me.id ? null : event.actor);
      return false;
    }
    if (!room || (room.membership === null && event.type === 'member.joined' && aboutMe)) {
      // Added to a room (or joined one in another tab): the room list tells what it is.
      this.refreshRoomsSoon();
    }
    this.noteMembership(event);
    if (event.type.startsWith('member.') && (state.members[event.roomId] || room?.visibility === 'dm'))
      this.refreshMembersSoon(event.roomId);
    return true;
  }

  /** What an event means for the sidebar: one's own joining, renames, roles, removals. */
  private noteMembership(event: RoomEvent): void {
    const me = this.store.getState().me.id;
    switch (event.type) {
      case 'member.joined':
        if (event.data.user.id === me) this.options.acks.raiseFloor(event.roomId, event.seq);
        break;
      case 'member.role_changed':
        if (event.data.user.id === me) this.patchRoom(event.roomId, { membership: event.data.role });
        break;
      case 'room.updated':
        this.patchRoom(event.roomId, { name: event.data.name, topic: event.data.topic });
        break;
      default:
        break;
    }
  }

  /**
   * What happened in a room (newly listed) since one last read it: joins, renames and roles for
   * the sidebar, and the messages of others above the ack cursor counted as unread.
   */
  private async catchUp(room: Room): Promise<void> {
    const floor = room.ackSeq ?? 0;
    this.options.acks.raiseFloor(room.id, floor);
    if (room.lastSeq <= floor) return;
    let after = floor;
    try {
      for (let page = 0; page < CATCH_UP_PAGES; page++) {
        const events = await this.ctx.api.events(room.id, after);
        for (const event of events.items) {
          this.noteMembership(event);
          this.options.acks.countUnread(event);
          after = Math.max(after, event.seq);
        }
        if (!events.hasMore || events.items.length === 0) break;
      }
    } catch {
      // Unread counts are a hint; the room itself still works.
    }
  }

  private setMembers(roomId: string, members: Member[]): void {
    this.store.update((state) => ({ ...state, members: { ...state.members, [roomId]: members } }));
  }

  /** Adds a room the server just answered with, or refreshes it, keeping the newer lastSeq. */
  private rememberRoom(room: Room): void {
    this.store.update((state) => {
      const merged = keepNewest(room, state.rooms);
      const known = state.rooms.some((candidate) => candidate.id === room.id);
      return {
        ...state,
        rooms: known
          ? state.rooms.map((candidate) => (candidate.id === room.id ? merged : candidate))
          : [...state.rooms, merged],
      };
    });
  }

  private patchRoom(roomId: string, patch: Partial<Room>): void {
    this.store.update((state) => ({
      ...state,
      rooms: state.rooms.map((room) => (room.id === roomId ? { ...room, ...patch } : room)),
    }));
  }

  /**
   * One is no longer in the room (left, or removed by `actor`): it leaves the sidebar (a public
   * room stays in the directory), its timeline is dropped, and if it was open, #general opens.
   */
  private leftRoom(roomId: string, actor: { displayName: string } | null): void {
    const state = this.store.getState();
    const room = state.rooms.find((candidate) => candidate.id === roomId);
    if (!room || room.membership === null) return;
    const wasActive = state.activeRoomId === roomId;
    this.options.acks.forgetRoom(roomId);
    this.ctx.events.emit('roomLeft', { roomId });
    this.store.update((current) => {
      const rooms =
        room.visibility === 'public'
          ? current.rooms.map((candidate) =>
              candidate.id === roomId ? { ...candidate, membership: null } : candidate,
            )
          : current.rooms.filter((candidate) => candidate.id !== roomId);
      const { [roomId]: _timeline, ...timelines } = current.timelines;
      const { [roomId]: _members, ...members } = current.members;
      const { [roomId]: _unread, ...unread } = current.unread;
      const next =
        rooms.find((candidate) => candidate.slug === DEFAULT_ROOM_SLUG && candidate.membership !== null) ??
        rooms.find((candidate) => candidate.membership !== null);
      const where = room.visibility === 'dm' ? room.name : `#${room.name}`;
      return {
        ...current,
        rooms,
        timelines,
        members,
        unread,
        activeRoomId: wasActive ? (next?.id ?? null) : current.activeRoomId,
        notice:
          actor === null
            ? current.notice
            : `${actor.displayName} removed you from ${where}. You are no longer in this room.`,
      };
    });
    const active = this.store.getState().activeRoomId;
    if (wasActive && active) this.ctx.events.emit('roomChosen', { roomId: active });
  }

  /** GET /rooms again shortly: an event came from a room this client does not know yet. */
  private refreshRoomsSoon(): void {
    if (this.roomsRefresh !== undefined || this.ctx.isStopped()) return;
    this.roomsRefresh = setTimeout(() => {
      this.roomsRefresh = undefined;
      if (!this.ctx.isStopped()) void this.loadRooms();
    }, this.options.refreshDelayMs);
  }

  private refreshMembersSoon(roomId: string): void {
    if (this.membersRefresh.has(roomId) || this.ctx.isStopped()) return;
    this.membersRefresh.set(
      roomId,
      setTimeout(() => {
        this.membersRefresh.delete(roomId);
        if (!this.ctx.isStopped()) void this.loadMembers(roomId);
      }, this.options.refreshDelayMs),
    );
  }
}

/** The server's copy of a room, but never with an older `lastSeq` than one already known. */
function keepNewest(room: Room, known: Room[]): Room {
  const previous = known.find((candidate) => candidate.id === room.id);
  if (!previous) return room;
  return { ...room, lastSeq: Math.max(room.lastSeq, previous.lastSeq) };
}
