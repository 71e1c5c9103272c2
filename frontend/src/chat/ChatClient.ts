import type {
  ClientFrame,
  Job,
  Member,
  Message,
  MessageReceipts,
  Room,
  RoomEvent,
  ServerFrame,
} from '@parley/protocol';
import type { ApiClient, NewRoom } from '../api/ApiClient';
import { describeError, isApiError } from '../api/ApiError';
import type { ConnectionStatus } from '../realtime/ConnectionManager';
import type { ChatStore } from '../state/ChatStore';
import {
  type OutboxItem,
  type OutboxStatus,
  updateItem,
  withClaim,
  withJob,
  withoutDelivered,
} from '../state/outbox';
import { noOutboxStorage, type OutboxStorage } from '../state/outboxStorage';
import { trackedOwnMessages } from '../state/receipts';
import {
  type ApplyOutcome,
  applyEvent,
  hasMessage,
  isSystemEvent,
  oldestSeq,
  withLatestPage,
  withMessage,
  withNotices,
  withOlderPage,
} from '../state/timeline';
import { UnreadLedger } from '../state/unread';

/** The REST calls the chat needs; `ApiClient` in the app, a fake in tests. */
export type ChatApi = Pick<
  ApiClient,
  | 'rooms'
  | 'joinRoom'
  | 'messages'
  | 'events'
  | 'sendMessage'
  | 'uploadFile'
  | 'job'
  | 'editMessage'
  | 'deleteMessage'
  | 'createRoom'
  | 'updateRoom'
  | 'leaveRoom'
  | 'members'
  | 'addMember'
  | 'setMemberRole'
  | 'removeMember'
  | 'openDm'
  | 'receipts'
>;

export interface ConnectionHandle {
  start(): void;
  stop(): void;
  send(frame: ClientFrame): boolean;
  wake(): void;
}

export interface ConnectionHooks {
  getCursors: () => Record<string, number>;
  onFrame: (frame: ServerFrame) => void;
  onStatus: (status: ConnectionStatus) => void;
  onSessionEnded: () => void;
}

export interface ChatClientDeps {
  api: ChatApi;
  store: ChatStore;
  connect: (hooks: ConnectionHooks) => ConnectionHandle;
  onSessionEnded: () => void;
  /** The room to open first (from a deep link such as `/r/<slug>`); `general` when absent or unknown. */
  initialRoomSlug?: string | undefined;
  newKey?: () => string;
  /** Throttle of `ack` frames, in ms. */
  ackDelayMs?: number;
  /** Pause before retrying a failed gap fill, in ms. */
  refillDelayMs?: number;
  /** Events of rooms not known yet (one was added to them) are gathered this long before GET /rooms, in ms. */
  roomsRefreshDelayMs?: number;
  /** Where the outbox survives a reload (localStorage per user in the app); nothing kept by default. */
  outboxStorage?: OutboxStorage;
  /** Whether the browser believes it is online (`navigator.onLine` by default). */
  isOnline?: () => boolean;
  /** First pause before sending waiting items again after a failed request, in ms (doubles up to 30 s). */
  resendDelayMs?: number;
  /** Receipts of the open room are asked again this long after one of its events, in ms. */
  receiptsDebounceMs?: number;
  /** Receipts of the open room are asked at least this often, in ms. */
  receiptsPollMs?: number;
  /** …and this often while one's newest message there is recent and not seen by everyone, in ms. */
  receiptsFastPollMs?: number;
}

interface RoomSync {
  /** Events held back while the room's first page loads or a gap is being filled. */
  buffer: RoomEvent[];
  loading: boolean;
  filling: boolean;
}

const DEFAULT_ROOM_SLUG = 'general';
/** The longest pause between two rounds of resending waiting messages. */
const RESEND_MAX_DELAY_MS = 30_000;
/** An own message this young, not yet seen by everyone, has its receipts polled faster. */
const FRESH_MESSAGE_MS = 60_000;
/** Pages of `/events` read to count a room's unread messages at start (200 events each). */
const UNREAD_PAGES = 5;

/**
 * The chat's moving parts in one place: history pages, live events with gap filling and
 * dedupe, the outbox of own messages and files, acks. It writes to the store; React reads it.
 */
export class ChatClient {
  private readonly api: ChatApi;
  private readonly store: ChatStore;
  private readonly connection: ConnectionHandle;
  private readonly newKey: () => string;
  private readonly ackDelayMs: number;
  private readonly refillDelayMs: number;
  private readonly sync = new Map<string, RoomSync>();
  /** Latest state of jobs seen in `job` frames, for a frame that beats the 202 answer. */
  private readonly jobsSeen = new Map<string, Job>();
  private readonly files = new Map<string, File>();
  private readonly acked = new Map<string, number>();
  /** Per room, the seq to acknowledge next: what was on screen while the room was open. */
  private readonly toAck = new Map<string, number>();
  private readonly unreadLedger = new UnreadLedger();
  private readonly roomsRefreshDelayMs: number;
  private roomsRefresh: ReturnType<typeof setTimeout> | undefined;
  private readonly membersRefresh = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly outboxStorage: OutboxStorage;
  private readonly unsubscribeStore: () => void;
  private readonly isOnline: () => boolean;
  private readonly resendDelayMs: number;
  /** True while waiting items are being sent one after the other. */
  private flushing = false;
  private flushAgain = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Failed resend rounds in a row: the pause before the next one doubles with each. */
  private resendFailures = 0;
  private readonly receiptsDebounceMs: number;
  private readonly receiptsPollMs: number;
  private readonly receiptsFastPollMs: number;
  private receiptsTimer: ReturnType<typeof setTimeout> | undefined;
  private receiptsDueAt = 0;
  private refreshingReceipts = false;
  private receiptsAgain = false;

  constructor(private readonly deps: ChatClientDeps) {
    this.api = deps.api;
    this.store = deps.store;
    this.newKey = deps.newKey ?? (() => crypto.randomUUID());
    this.ackDelayMs = deps.ackDelayMs ?? 1000;
    this.refillDelayMs = deps.refillDelayMs ?? 1500;
    this.roomsRefreshDelayMs = deps.roomsRefreshDelayMs ?? 150;
    this.isOnline = deps.isOnline ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);
    this.resendDelayMs = deps.resendDelayMs ?? 1000;
    this.receiptsDebounceMs = deps.receiptsDebounceMs ?? 1500;
    this.receiptsPollMs = deps.receiptsPollMs ?? 10_000;
    this.receiptsFastPollMs = deps.receiptsFastPollMs ?? 3000;
    // What was waiting when the page was last closed shows at once, and is sent once started.
    this.outboxStorage = deps.outboxStorage ?? noOutboxStorage;
    const restored = this.outboxStorage.load();
    if (restored.length > 0) this.store.updateOutbox((outbox) => [...restored, ...outbox]);
    let saved = this.store.getState().outbox;
    this.unsubscribeStore = this.store.subscribe(() => {
      const { outbox } = this.store.getState();
      if (outbox === saved) return;
      saved = outbox;
      this.outboxStorage.save(outbox);
    });
    this.connection = deps.connect({
      getCursors: () => this.cursors(),
      onFrame: (frame) => this.handleFrame(frame),
      onStatus: (connection) => this.store.update((state) => ({ ...state, connection })),
      onSessionEnded: () => this.endSession(),
    });
  }

  /** Loads the rooms and the first room's newest page, then opens the live connection. */
  async start(): Promise<void> {
    await this.loadRooms();
    const active = this.store.getState().activeRoomId;
    if (active) await this.loadLatest(active);
    if (this.stopped) return;
    this.connection.start();
    // Messages left waiting by an earlier visit (or a reload) go out now, with their keys.
    this.flushOutbox();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribeStore();
    this.connection.stop();
    clearTimeout(this.ackTimer);
    clearTimeout(this.flushTimer);
    clearTimeout(this.receiptsTimer);
    clearTimeout(this.roomsRefresh);
    for (const timer of this.membersRefresh.values()) clearTimeout(timer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const item of this.store.getState().outbox) revokePreview(item);
  }

  /** Reconnects now when offline (the user clicked the indicator). */
  reconnect(): void {
    this.connection.wake();
  }

  async loadRooms(): Promise<void> {
    try {
      const rooms = await this.api.rooms();
      const known = new Set(this.store.getState().rooms.map((room) => room.id));
      this.store.update((state) => {
        const joined = rooms.filter((room) => room.membership !== null);
        const stillThere = rooms.some((room) => room.id === state.activeRoomId);
        const fallback =
          rooms.find((room) => room.slug === this.deps.initialRoomSlug) ??
          rooms.find((room) => room.slug === DEFAULT_ROOM_SLUG) ??
          joined[0] ??
          rooms[0];
        return {
          ...state,
          rooms: rooms.map((room) => keepNewest(room, state.rooms)),
          roomsLoaded: true,
          activeRoomId: stillThere ? state.activeRoomId : (fallback?.id ?? null),
        };
      });
      for (const room of rooms) {
        if (known.has(room.id) || room.membership === null) continue;
        void this.countUnreadSince(room);
        if (room.visibility === 'dm') void this.loadMembers(room.id);
      }
    } catch (error) {
      this.report(error);
    }
  }

  selectRoom(roomId: string): void {
    const timeline = this.store.timeline(roomId);
    const room = this.store.getState().rooms.find((candidate) => candidate.id === roomId);
    this.unreadLedger.raiseFloor(roomId, Math.max(timeline.cursor, room?.lastSeq ?? 0));
    this.unreadLedger.forget(roomId);
    this.store.update((state) => ({
      ...state,
      activeRoomId: roomId,
      unread: { ...state.unread, [roomId]: 0 },
    }));
    if (!timeline.loaded) void this.loadLatest(roomId);
    else this.markRead(roomId);
    this.scheduleReceipts(0);
  }

  // ---- rooms and members ----

  /** Creates a room (the caller owns it) and opens it. Errors are thrown for the form to show. */
  async createRoom(body: NewRoom): Promise<Room> {
    const room = await this.api.createRoom(body);
    this.rememberRoom(room);
    this.selectRoom(room.id);
    return room;
  }

  /** Joins a public room from the directory and opens it. */
  async joinRoom(roomId: string): Promise<Room> {
    const room = await this.api.joinRoom(roomId);
    this.rememberRoom(room);
    this.selectRoom(room.id);
    return room;
  }

  /** Opens the direct message with `username` (created on first use). */
  async openDm(username: string): Promise<Room> {
    const room = await this.api.openDm(username.trim());
    this.rememberRoom(room);
    void this.loadMembers(room.id);
    this.selectRoom(room.id);
    return room;
  }

  async updateRoom(roomId: string, changes: { name?: string; topic?: string }): Promise<void> {
    const room = await this.api.updateRoom(roomId, changes);
    this.patchRoom(roomId, { name: room.name, topic: room.topic });
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.api.leaveRoom(roomId);
    this.leftRoom(roomId, null);
  }

  async loadMembers(roomId: string): Promise<void> {
    try {
      const members = await this.api.members(roomId);
      this.setMembers(roomId, members);
    } catch (error) {
      // A room one was just removed from answers 404: that is no news worth a banner.
      if (!(isApiError(error) && error.status === 404)) this.report(error);
    }
  }

  async addMember(roomId: string, username: string): Promise<void> {
    const member = await this.api.addMember(roomId, username.trim());
    const members = this.store.getState().members[roomId] ?? [];
    if (!members.some((known) => known.user.id === member.user.id))
      this.setMembers(roomId, [...members, member]);
  }

  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.api.removeMember(roomId, userId);
    const members = this.store.getState().members[roomId] ?? [];
    this.setMembers(
      roomId,
      members.filter((member) => member.user.id !== userId),
    );
  }

  async setMemberRole(roomId: string, userId: string, role: 'admin' | 'member'): Promise<void> {
    const updated = await this.api.setMemberRole(roomId, userId, role);
    const members = this.store.getState().members[roomId] ?? [];
    this.setMembers(
      roomId,
      members.map((member) => (member.user.id === userId ? updated : member)),
    );
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
    this.unreadLedger.forget(roomId);
    this.sync.delete(roomId);
    this.toAck.delete(roomId);
    this.acked.delete(roomId);
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
    if (wasActive && active) this.selectRoom(active);
  }

  /** GET /rooms again shortly: an event came from a room this client does not know yet. */
  private refreshRoomsSoon(): void {
    if (this.roomsRefresh !== undefined || this.stopped) return;
    this.roomsRefresh = setTimeout(() => {
      this.roomsRefresh = undefined;
      if (!this.stopped) void this.loadRooms();
    }, this.roomsRefreshDelayMs);
  }

  private refreshMembersSoon(roomId: string): void {
    if (this.membersRefresh.has(roomId) || this.stopped) return;
    this.membersRefresh.set(
      roomId,
      setTimeout(() => {
        this.membersRefresh.delete(roomId);
        if (!this.stopped) void this.loadMembers(roomId);
      }, this.roomsRefreshDelayMs),
    );
  }

  /** Counts the messages of others above the room's ack cursor (and above one's own joining). */
  private async countUnreadSince(room: Room): Promise<void> {
    const floor = room.ackSeq ?? 0;
    this.unreadLedger.raiseFloor(room.id, floor);
    if (room.lastSeq <= floor) return;
    let after = floor;
    try {
      for (let page = 0; page < UNREAD_PAGES; page++) {
        const events = await this.api.events(room.id, after);
        for (const event of events.items) {
          this.noteMembership(event);
          this.countUnread(event);
          after = Math.max(after, event.seq);
        }
        if (!events.hasMore || events.items.length === 0) break;
      }
    } catch {
      // Unread counts are a hint; the room itself still works.
    }
  }

  /** What an event means for the sidebar: one's own joining, renames, roles, removals. */
  private noteMembership(event: RoomEvent): void {
    const me = this.store.getState().me.id;
    switch (event.type) {
      case 'member.joined':
        if (event.data.user.id === me) this.unreadLedger.raiseFloor(event.roomId, event.seq);
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

  async loadLatest(roomId: string): Promise<void> {
    const sync = this.roomSync(roomId);
    if (sync.loading) return;
    sync.loading = true;
    try {
      // Public rooms are listed before one joins them; their history is for members only.
      await this.joinIfPublic(roomId);
      const knownLastSeq = this.store.getState().rooms.find((room) => room.id === roomId)?.lastSeq ?? 0;
      const page = await this.api.messages(roomId, { limit: 50 });
      this.store.updateTimeline(roomId, (timeline) =>
        withLatestPage(timeline, page.items, page.hasMore, knownLastSeq),
      );
      // An item restored after a reload may already be one of these messages: hidden until its
      // resend (same key) says which message it is.
      const me = this.store.getState().me.id;
      this.store.updateOutbox((outbox) =>
        page.items.reduce((items, message) => withClaim(items, message, me), outbox),
      );
      this.pruneOutbox();
    } catch (error) {
      this.report(error);
      sync.buffer = [];
      return;
    } finally {
      sync.loading = false;
    }
    this.drain(roomId);
    if (this.store.getState().activeRoomId === roomId) {
      this.markRead(roomId);
      this.scheduleReceipts(0);
    }
    const loaded = this.store.timeline(roomId);
    void this.loadNotices(roomId, loaded.hasMore ? (oldestSeq(loaded) ?? loaded.cursor) : 0, loaded.cursor);
  }

  /** The joins, departures and renames between `after` and `upTo`, which the message pages leave out. */
  private async loadNotices(roomId: string, after: number, upTo: number): Promise<void> {
    let cursor = after;
    try {
      for (let page = 0; page < 3 && cursor < upTo; page++) {
        const events = await this.api.events(roomId, cursor);
        const notices = events.items.filter((event) => event.seq <= upTo).filter(isSystemEvent);
        if (notices.length > 0 && this.store.getState().timelines[roomId])
          this.store.updateTimeline(roomId, (timeline) => withNotices(timeline, notices));
        cursor = events.items.at(-1)?.seq ?? upTo;
        if (!events.hasMore) break;
      }
    } catch {
      // The lines are context; the messages are already there.
    }
  }

  private async joinIfPublic(roomId: string): Promise<void> {
    const room = this.store.getState().rooms.find((candidate) => candidate.id === roomId);
    if (!room || room.membership !== null || room.visibility !== 'public') return;
    const joined = await this.api.joinRoom(roomId);
    this.store.update((state) => ({
      ...state,
      rooms: state.rooms.map((candidate) => (candidate.id === joined.id ? joined : candidate)),
    }));
  }

  async loadOlder(roomId: string): Promise<void> {
    const timeline = this.store.timeline(roomId);
    const before = oldestSeq(timeline);
    if (!timeline.loaded || timeline.loadingOlder || !timeline.hasMore || before === undefined) return;
    this.store.updateTimeline(roomId, (current) => ({ ...current, loadingOlder: true }));
    try {
      const page = await this.api.messages(roomId, { before, limit: 50 });
      this.store.updateTimeline(roomId, (current) => withOlderPage(current, page.items, page.hasMore));
      const from = page.hasMore ? (page.items[0]?.seq ?? before) : 0;
      void this.loadNotices(roomId, from, before);
    } catch (error) {
      this.store.updateTimeline(roomId, (current) => ({ ...current, loadingOlder: false }));
      this.report(error);
    }
  }

  // ---- sending ----

  sendText(roomId: string, text: string): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    const localId = this.newKey();
    // Through the queue, so that messages written offline, or behind a failed one, keep their order.
    this.addToOutbox({ localId, idempotencyKey: localId, roomId, kind: 'message', text: trimmed }, 'waiting');
    this.flushOutbox();
  }

  sendFile(roomId: string, file: File, caption = ''): void {
    const localId = this.newKey();
    this.files.set(localId, file);
    const previewUrl =
      file.type.startsWith('image/') && typeof URL.createObjectURL === 'function'
        ? URL.createObjectURL(file)
        : undefined;
    const offline = this.isOffline();
    this.addToOutbox(
      {
        localId,
        idempotencyKey: localId,
        roomId,
        kind: 'file',
        text: caption.trim(),
        file: { name: file.name, size: file.size, type: file.type, ...(previewUrl ? { previewUrl } : {}) },
        progress: 0,
      },
      offline ? 'waiting' : 'sending',
    );
    // Uploads start at once, beside the text queue, so that a large file does not hold messages up.
    if (!offline) void this.submit(localId);
  }

  /** Sends a failed item again: same key if the request may not have arrived, a new one if its job failed. */
  retry(localId: string): void {
    const item = this.outboxItem(localId);
    if (item?.status !== 'failed') return;
    const idempotencyKey = item.jobFailed ? this.newKey() : item.idempotencyKey;
    this.store.updateOutbox((outbox) =>
      outbox.map((entry) => {
        if (entry.localId !== localId) return entry;
        const { error: _error, jobId: _jobId, jobFailed: _jobFailed, ...rest } = entry;
        return {
          ...rest,
          idempotencyKey,
          status: 'waiting',
          ...(entry.kind === 'file' ? { progress: 0 } : {}),
        };
      }),
    );
    this.flushOutbox();
  }

  discard(localId: string): void {
    const item = this.outboxItem(localId);
    if (!item) return;
    revokePreview(item);
    this.files.delete(localId);
    this.store.updateOutbox((outbox) => outbox.filter((entry) => entry.localId !== localId));
  }

  async editMessage(message: Message, text: string): Promise<boolean> {
    try {
      const edited = await this.api.editMessage(message.id, text.trim());
      this.store.updateTimeline(message.roomId, (timeline) => withMessage(timeline, edited));
      return true;
    } catch (error) {
      this.report(error);
      return false;
    }
  }

  async deleteMessage(message: Message): Promise<void> {
    try {
      await this.api.deleteMessage(message.id);
      this.store.updateTimeline(message.roomId, (timeline) =>
        withMessage(timeline, { ...message, text: '', deleted: true }),
      );
    } catch (error) {
      this.report(error);
    }
  }

  dismissNotice(): void {
    this.store.update((state) => ({ ...state, notice: null }));
  }

  // ---- live frames ----

  private handleFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'ready':
        this.onReady(frame.rooms);
        break;
      case 'event':
        this.handleEvent(frame.event);
        break;
      case 'job':
      case 'sent':
        this.handleJob(frame.job);
        break;
      case 'error':
        if (frame.code !== 'resume_required')
          this.store.update((state) => ({ ...state, notice: frame.message }));
        break;
      default:
        break;
    }
  }

  private onReady(rooms: { roomId: string; lastSeq: number }[]): void {
    const state = this.store.getState();
    const known = new Set(state.rooms.filter((room) => room.membership !== null).map((room) => room.id));
    const live = new Set(rooms.map((room) => room.roomId));
    const changedWhileAway =
      rooms.some((room) => !known.has(room.roomId)) || [...known].some((roomId) => !live.has(roomId));
    if (!state.roomsLoaded || changedWhileAway) {
      void this.loadRooms().then(() => {
        const active = this.store.getState().activeRoomId;
        if (active && !this.store.timeline(active).loaded) void this.loadLatest(active);
      });
    }
    // Back online: what waited is sent now.
    this.resendFailures = 0;
    this.flushOutbox();
    // Jobs may have finished (or failed) while we were away: ask for their state.
    for (const item of this.store.getState().outbox) {
      if (item.jobId && item.status === 'queued' && item.messageId === undefined) {
        this.api.job(item.jobId).then(
          (job) => this.handleJob(job),
          () => undefined,
        );
      }
    }
    this.scheduleAck();
  }

  /** Entry point of every room event, live or replayed. */
  handleEvent(event: RoomEvent): void {
    const state = this.store.getState();
    const room = state.rooms.find((candidate) => candidate.id === event.roomId);
    const aboutMe = 'user' in event.data && event.data.user.id === state.me.id;
    if (event.type === 'member.left' && aboutMe) {
      // Removed (or left elsewhere): nothing more comes from this room.
      this.leftRoom(event.roomId, event.actor.id === state.me.id ? null : event.actor);
      return;
    }
    if (!room || (room.membership === null && event.type === 'member.joined' && aboutMe)) {
      // Added to a room (or joined one in another tab): the room list tells what it is.
      this.refreshRoomsSoon();
    }
    this.noteMembership(event);
    if (event.type.startsWith('member.') && (state.members[event.roomId] || room?.visibility === 'dm'))
      this.refreshMembersSoon(event.roomId);
    const sync = this.roomSync(event.roomId);
    const timeline = this.store.timeline(event.roomId);
    if (!timeline.loaded) {
      if (sync.loading) sync.buffer.push(event);
      else this.countUnread(event);
      return;
    }
    if (sync.filling) {
      sync.buffer.push(event);
      return;
    }
    if (this.apply(event) === 'gap') {
      sync.buffer.push(event);
      void this.fillGap(event.roomId);
    }
  }

  private apply(event: RoomEvent): ApplyOutcome {
    let outcome = 'duplicate' as ApplyOutcome;
    this.store.updateTimeline(event.roomId, (timeline) => {
      const result = applyEvent(timeline, event);
      outcome = result.outcome;
      return result.timeline;
    });
    if (outcome !== 'applied') return outcome;
    if (event.type === 'message.created') {
      const me = this.store.getState().me.id;
      this.store.updateOutbox((outbox) => withClaim(outbox, event.data.message, me));
      this.pruneOutbox();
      this.countUnread(event);
    }
    if (this.store.getState().activeRoomId === event.roomId) {
      this.markRead(event.roomId);
      // Someone's activity there may have moved the receipts of one's own messages.
      this.scheduleReceipts(this.receiptsDebounceMs);
    }
    return outcome;
  }

  /** Fetches the events after the cursor, then applies what was held back. */
  private async fillGap(roomId: string): Promise<void> {
    const sync = this.roomSync(roomId);
    if (sync.filling) return;
    sync.filling = true;
    const startCursor = this.store.timeline(roomId).cursor;
    try {
      for (;;) {
        const page = await this.api.events(roomId, this.store.timeline(roomId).cursor);
        let stuck = false;
        for (const event of page.items) {
          if (this.apply(event) === 'gap') {
            stuck = true;
            break;
          }
        }
        if (stuck || !page.hasMore || page.items.length === 0) break;
      }
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        this.endSession();
        return;
      }
    } finally {
      sync.filling = false;
    }
    const progressed = this.store.timeline(roomId).cursor > startCursor;
    if (progressed) {
      this.drain(roomId);
    } else if (sync.buffer.length > 0) {
      // No progress (network or server behind): try again shortly, still holding the events.
      this.later(() => {
        if (!sync.filling && sync.buffer.length > 0) void this.fillGap(roomId);
      }, this.refillDelayMs);
    }
  }

  /** Applies held-back events in seq order; starts another fill if a gap remains. */
  private drain(roomId: string): void {
    const sync = this.roomSync(roomId);
    const held = sync.buffer.sort((a, b) => a.seq - b.seq);
    sync.buffer = [];
    for (const [index, event] of held.entries()) {
      if (this.apply(event) === 'gap') {
        sync.buffer = held.slice(index);
        void this.fillGap(roomId);
        return;
      }
    }
  }

  private handleJob(job: Job): void {
    const previous = this.jobsSeen.get(job.id);
    if (!previous || rank(job) >= rank(previous)) this.jobsSeen.set(job.id, job);
    this.store.updateOutbox((outbox) => withJob(outbox, job));
    this.pruneOutbox();
  }

  // ---- outbox ----

  private addToOutbox(item: Omit<OutboxItem, 'status' | 'createdAt'>, status: OutboxStatus): void {
    const entry: OutboxItem = { ...item, status, createdAt: new Date().toISOString() };
    this.store.updateOutbox((outbox) => [...outbox, entry]);
  }

  /** Offline as far as sending goes: the browser says so, or the live connection is down. */
  private isOffline(): boolean {
    return !this.isOnline() || this.store.getState().connection === 'offline';
  }

  /**
   * Sends the waiting items one after the other, in the order they were written, each with its
   * own idempotency key (a resend of a request that did arrive is answered with the same job).
   * Offline, nothing is tried: the `ready` of the next connection calls this again. A round stops
   * at the first request without an answer and is tried again after a pause.
   */
  private flushOutbox(): void {
    if (this.stopped || this.isOffline()) return;
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    void (async () => {
      try {
        do {
          this.flushAgain = false;
          for (const { localId } of this.store.getState().outbox) {
            if (this.stopped || this.isOffline()) return;
            if (this.outboxItem(localId)?.status !== 'waiting') continue;
            if (!(await this.submit(localId))) return;
          }
        } while (this.flushAgain);
      } finally {
        this.flushing = false;
      }
    })();
  }

  /** Another round of resending after a pause: `Retry-After` when given, else doubling from 1 s. */
  private scheduleFlush(retryAfterSeconds: number | undefined): void {
    if (this.stopped) return;
    const delay =
      retryAfterSeconds !== undefined
        ? retryAfterSeconds * 1000
        : Math.min(RESEND_MAX_DELAY_MS, this.resendDelayMs * 2 ** this.resendFailures);
    this.resendFailures += 1;
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushOutbox();
    }, delay);
  }

  /**
   * One request for one item. True when it is settled (accepted, or refused for good); false
   * when it got no usable answer and waits to be sent again with the same key.
   */
  private async submit(localId: string): Promise<boolean> {
    const item = this.outboxItem(localId);
    if (!item) return true;
    this.store.updateOutbox((outbox) =>
      outbox.map((entry) => {
        if (entry.localId !== localId) return entry;
        const { error: _error, ...rest } = entry;
        return { ...rest, status: 'sending' };
      }),
    );
    try {
      let job: Job;
      if (item.kind === 'file') {
        const file = this.files.get(localId);
        if (!file) throw new Error('The file is no longer available; attach it again.');
        const upload = this.api.uploadFile({
          roomId: item.roomId,
          file,
          caption: item.text,
          idempotencyKey: item.idempotencyKey,
          onProgress: (progress) =>
            this.store.updateOutbox((outbox) => updateItem(outbox, localId, { progress })),
        });
        job = await upload.done;
      } else {
        job = await this.api.sendMessage(item.roomId, item.text, item.idempotencyKey);
      }
      // A `job` frame may have overtaken the 202: keep the most advanced state.
      const seen = this.jobsSeen.get(job.id);
      const latest = seen && rank(seen) > rank(job) ? seen : job;
      this.store.updateOutbox((outbox) => withJob(outbox, latest, localId));
      this.pruneOutbox();
      this.resendFailures = 0;
      return true;
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        this.endSession();
        return true;
      }
      if (isApiError(error) && error.isRetryable) {
        this.store.updateOutbox((outbox) =>
          updateItem(outbox, localId, { status: 'waiting', error: describeError(error) }),
        );
        this.scheduleFlush(error.retryAfterSeconds);
        return false;
      }
      const jobFailed = isApiError(error) && error.code === 'idempotency_key_reused';
      this.store.updateOutbox((outbox) =>
        updateItem(outbox, localId, { status: 'failed', error: describeError(error), jobFailed }),
      );
      return true;
    }
  }

  private pruneOutbox(): void {
    const { timelines } = this.store.getState();
    let delivered: OutboxItem[] = [];
    this.store.updateOutbox((outbox) => {
      const result = withoutDelivered(outbox, (roomId, messageId) =>
        hasMessage(timelines[roomId], messageId),
      );
      delivered = result.delivered;
      return result.outbox;
    });
    for (const item of delivered) {
      revokePreview(item);
      this.files.delete(item.localId);
    }
  }

  private outboxItem(localId: string): OutboxItem | undefined {
    return this.store.getState().outbox.find((item) => item.localId === localId);
  }

  // ---- receipts ----

  /** Asks for the open room's receipts within `delayMs`, or sooner if that is already planned. */
  private scheduleReceipts(delayMs: number): void {
    if (this.stopped) return;
    const due = Date.now() + delayMs;
    if (this.receiptsTimer !== undefined && this.receiptsDueAt <= due) return;
    clearTimeout(this.receiptsTimer);
    this.receiptsDueAt = due;
    this.receiptsTimer = setTimeout(() => {
      this.receiptsTimer = undefined;
      void this.refreshReceipts();
    }, delayMs);
  }

  /**
   * GET /messages/:id/receipts for the newest few own messages of the open room (at most
   * `TRACKED_OWN_MESSAGES` requests per round), then plans the next round.
   */
  private async refreshReceipts(): Promise<void> {
    if (this.refreshingReceipts) {
      this.receiptsAgain = true;
      return;
    }
    this.refreshingReceipts = true;
    this.receiptsAgain = false;
    try {
      const roomId = this.store.getState().activeRoomId;
      const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
      if (roomId && !hidden) await this.fetchReceipts(roomId);
    } finally {
      this.refreshingReceipts = false;
      this.scheduleReceipts(this.receiptsAgain ? this.receiptsDebounceMs : this.receiptsPollDelay());
    }
  }

  private async fetchReceipts(roomId: string): Promise<void> {
    const { me } = this.store.getState();
    const timeline = this.store.timeline(roomId);
    if (!timeline.loaded) return;
    const tracked = trackedOwnMessages(timeline.messages, me.id);
    if (tracked.length === 0) return;
    const answers = await Promise.all(
      tracked.map((message) => this.api.receipts(message.id).catch(() => undefined)),
    );
    if (this.stopped) return;
    this.store.update((state) => {
      const previous = state.receipts[roomId] ?? {};
      const fresh: Record<string, MessageReceipts> = {};
      tracked.forEach((message, index) => {
        const receipts = answers[index] ?? previous[message.id];
        if (receipts) fresh[message.id] = receipts;
      });
      return { ...state, receipts: { ...state.receipts, [roomId]: fresh } };
    });
  }

  /** Faster while one's newest message in the open room is recent and not yet seen by everyone. */
  private receiptsPollDelay(): number {
    const state = this.store.getState();
    const roomId = state.activeRoomId;
    if (!roomId) return this.receiptsPollMs;
    const [newest] = trackedOwnMessages(this.store.timeline(roomId).messages, state.me.id, 1);
    if (!newest || Date.now() - Date.parse(newest.createdAt) > FRESH_MESSAGE_MS) return this.receiptsPollMs;
    const receipts = state.receipts[roomId]?.[newest.id];
    const seenByAll =
      receipts !== undefined && receipts.recipients > 0 && receipts.seenBy.length >= receipts.recipients;
    return seenByAll ? this.receiptsPollMs : this.receiptsFastPollMs;
  }

  // ---- acks, unread, helpers ----

  /** The room is on screen: what it shows now is read, and acknowledged shortly. */
  private markRead(roomId: string): void {
    const { cursor, loaded } = this.store.timeline(roomId);
    if (!loaded) return;
    this.unreadLedger.raiseFloor(roomId, cursor);
    if (cursor > (this.toAck.get(roomId) ?? 0)) this.toAck.set(roomId, cursor);
    this.scheduleAck();
  }

  private scheduleAck(): void {
    if (this.ackTimer !== undefined || this.stopped) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      for (const [roomId, seq] of this.toAck) {
        if (seq <= (this.acked.get(roomId) ?? 0)) {
          this.toAck.delete(roomId);
        } else if (this.connection.send({ type: 'ack', roomId, seq })) {
          this.acked.set(roomId, seq);
          this.toAck.delete(roomId);
        }
      }
    }, this.ackDelayMs);
  }

  private countUnread(event: RoomEvent): void {
    const state = this.store.getState();
    if (event.type !== 'message.created' || event.roomId === state.activeRoomId) return;
    if (event.actor.id === state.me.id) return;
    if (!this.unreadLedger.add(event.roomId, event.seq)) return;
    const count = this.unreadLedger.count(event.roomId);
    this.store.update((current) => ({ ...current, unread: { ...current.unread, [event.roomId]: count } }));
  }

  private cursors(): Record<string, number> {
    const cursors: Record<string, number> = {};
    for (const [roomId, timeline] of Object.entries(this.store.getState().timelines)) {
      if (timeline.loaded) cursors[roomId] = timeline.cursor;
    }
    return cursors;
  }

  private roomSync(roomId: string): RoomSync {
    let sync = this.sync.get(roomId);
    if (!sync) {
      sync = { buffer: [], loading: false, filling: false };
      this.sync.set(roomId, sync);
    }
    return sync;
  }

  private later(run: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) run();
    }, delayMs);
    this.timers.add(timer);
  }

  private report(error: unknown): void {
    if (isApiError(error) && error.status === 401) {
      this.endSession();
      return;
    }
    this.store.update((state) => ({ ...state, notice: describeError(error) }));
  }

  private endSession(): void {
    if (this.stopped) return;
    this.stop();
    this.deps.onSessionEnded();
  }
}

/** The server's copy of a room, but never with an older `lastSeq` than one already known. */
function keepNewest(room: Room, known: Room[]): Room {
  const previous = known.find((candidate) => candidate.id === room.id);
  if (!previous) return room;
  return { ...room, lastSeq: Math.max(room.lastSeq, previous.lastSeq) };
}

function rank(job: Job): number {
  return job.status === 'completed' || job.status === 'failed' ? 2 : job.status === 'processing' ? 1 : 0;
}

function revokePreview(item: OutboxItem): void {
  if (item.file?.previewUrl && typeof URL.revokeObjectURL === 'function')
    URL.revokeObjectURL(item.file.previewUrl);
}
