/*
 * Dependencies between the chat's parts point one way, downwards:
 *
 *   ChatClient          composes the others, owns the connection, routes frames and events
 *     TimelineLoader    -> RoomDirectory, SendQueue, AckTracker, ReceiptsPoller
 *     RoomDirectory     -> AckTracker
 *     SendQueue, AckTracker, ReceiptsPoller
 *   each of them        -> ChatContext (the API, the ChatStore, ChatEvents, the session)
 *
 * A controller is handed the ones below it, already built, and never learns of those above.
 * What it must tell them (open this room, a room was left, the session ended) it emits on
 * ChatEvents, and ChatClient acts on it; what they all read is in the ChatStore.
 */
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  type Message,
  type NotifyLevel,
  type Room,
  type RoomEvent,
  type ServerFrame,
  type ThreadPage,
  type User,
} from '@parley/protocol';
import type { NewRoom } from '../api/ApiClient';
import type { ChatStore } from '../state/ChatStore';
import { restoreOfflineCopy } from '../state/offlineCopy';
import type { OfflineCopyStorage } from '../state/offlineCopyStorage';
import type { OutboxReply } from '../state/outbox';
import { noOutboxStorage, type OutboxStorage } from '../state/outboxStorage';
import { applyProfile } from '../state/people';
import { hasReacted, withReaction } from '../state/reactions';
import { resumeCursors, withMessage } from '../state/timeline';
import { AckTracker } from './AckTracker';
import { type ActivitySource, AwayReporter } from './AwayReporter';
import { type ChatApi, ChatContext, type ConnectionHandle, type ConnectionHooks } from './ChatContext';
import { type DesktopNotifications, DesktopNotifier } from './DesktopNotifier';
import { OfflineCopyKeeper } from './OfflineCopyKeeper';
import { PresenceTracker } from './PresenceTracker';
import { ReceiptsPoller } from './ReceiptsPoller';
import { RoomDirectory } from './RoomDirectory';
import { SendQueue } from './SendQueue';
import { TimelineLoader } from './TimelineLoader';

export type { ChatApi, ConnectionHandle, ConnectionHooks } from './ChatContext';

export interface ChatClientDeps {
  api: ChatApi;
  store: ChatStore;
  connect: (hooks: ConnectionHooks) => ConnectionHandle;
  onSessionEnded: () => void;
  /** The room to open first (from a deep link such as `/r/<slug>`); `general` when absent; see `missingRoomSlug`. */
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
  /** The server's file size limit (from `GET /me`); files over it are refused before uploading. */
  maxUploadBytes?: () => number;
  /** Receipts of the open room are asked again this long after one of its events, in ms. */
  receiptsDebounceMs?: number;
  /** Receipts of the open room are asked at least this often, in ms. */
  receiptsPollMs?: number;
  /** …and this often while one's newest message there is recent and not seen by everyone, in ms. */
  receiptsFastPollMs?: number;
  /** How long "is typing" shows after a typist's last frame, in ms. */
  typingShownMs?: number;
  /** Desktop notifications (the browser's in the app); none by default. */
  notifications?: DesktopNotifications;
  /** Input to watch for "away" (the browser's in the app); no away reports by default. */
  activity?: ActivitySource;
  /** Away after this long without input, in ms. */
  awayAfterMs?: number;
  /** Where the copy for a reload without a network is kept (localStorage in the app); none by default. */
  offlineCopy?: OfflineCopyStorage;
  /**
   * The server could not be reached when the page loaded: `start()` draws the kept copy instead
   * of loading, and the live connection (when it comes) resumes from it.
   */
  startFromOfflineCopy?: boolean;
  /** The offline copy is written at most this often, in ms. */
  offlineCopyDelayMs?: number;
}

/**
 * The chat's moving parts in one place, for React to call: it wires the live connection to
 * the room list (`RoomDirectory`), the timelines with their gap filling (`TimelineLoader`),
 * the outbox (`SendQueue`), acks and unread counts (`AckTracker`) and receipts
 * (`ReceiptsPoller`). They write to the store; React reads it.
 */
export class ChatClient {
  private readonly api: ChatApi;
  private readonly store: ChatStore;
  private readonly ctx: ChatContext;
  private readonly connection: ConnectionHandle;
  private readonly sendQueue: SendQueue;
  private readonly receipts: ReceiptsPoller;
  private readonly acks: AckTracker;
  private readonly rooms: RoomDirectory;
  private readonly timelines: TimelineLoader;
  private readonly presence: PresenceTracker;
  private readonly notifier: DesktopNotifier | undefined;
  private readonly awayReporter: AwayReporter | undefined;
  private readonly offlineCopy: OfflineCopyStorage | undefined;
  private readonly startFromOfflineCopy: boolean;
  private readonly offlineCopyDelayMs: number;
  private copyKeeper: OfflineCopyKeeper | undefined;

  constructor(deps: ChatClientDeps) {
    this.api = deps.api;
    this.store = deps.store;
    this.offlineCopy = deps.offlineCopy;
    this.startFromOfflineCopy = deps.startFromOfflineCopy ?? false;
    this.offlineCopyDelayMs = deps.offlineCopyDelayMs ?? 1000;
    const ctx = new ChatContext(deps.api, deps.store);
    this.ctx = ctx;
    // First, so that what was waiting when the page was last closed shows at once.
    this.sendQueue = new SendQueue(ctx, {
      newKey: deps.newKey ?? (() => crypto.randomUUID()),
      outboxStorage: deps.outboxStorage ?? noOutboxStorage,
      isOnline: deps.isOnline ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false),
      resendDelayMs: deps.resendDelayMs ?? 1000,
      maxUploadBytes: deps.maxUploadBytes ?? (() => DEFAULT_MAX_UPLOAD_BYTES),
    });
    // Frames and status only come once started, when every part below exists.
    this.connection = deps.connect({
      getCursors: () => resumeCursors(this.store.getState().timelines),
      onFrame: (frame) => this.handleFrame(frame),
      onStatus: (connection) => this.store.update((state) => ({ ...state, connection })),
      onSessionEnded: () => ctx.endSession(),
    });
    this.receipts = new ReceiptsPoller(ctx, {
      debounceMs: deps.receiptsDebounceMs ?? 1500,
      pollMs: deps.receiptsPollMs ?? 10_000,
      fastPollMs: deps.receiptsFastPollMs ?? 3000,
    });
    this.acks = new AckTracker(ctx, { connection: this.connection, ackDelayMs: deps.ackDelayMs ?? 1000 });
    this.rooms = new RoomDirectory(ctx, {
      initialRoomSlug: deps.initialRoomSlug,
      refreshDelayMs: deps.roomsRefreshDelayMs ?? 150,
      acks: this.acks,
    });
    this.timelines = new TimelineLoader(ctx, {
      refillDelayMs: deps.refillDelayMs ?? 1500,
      rooms: this.rooms,
      outbox: this.sendQueue,
      acks: this.acks,
      receipts: this.receipts,
    });
    this.presence = new PresenceTracker(ctx, { typingShownMs: deps.typingShownMs ?? 5000 });
    this.notifier = deps.notifications
      ? new DesktopNotifier(ctx, deps.notifications, (roomId) => this.selectRoom(roomId))
      : undefined;
    this.awayReporter = deps.activity
      ? new AwayReporter((frame) => this.connection.send(frame), deps.activity, {
          idleMs: deps.awayAfterMs ?? 5 * 60_000,
          checkMs: 15_000,
        })
      : undefined;
    ctx.events.on('roomChosen', ({ roomId }) => this.selectRoom(roomId));
    ctx.events.on('roomLeft', ({ roomId }) => this.timelines.forget(roomId));
    ctx.events.on('sessionEnded', () => {
      // The server no longer knows this session: what the device kept of it goes too.
      this.copyKeeper?.stop(true);
      this.stop();
      deps.onSessionEnded();
    });
  }

  /** Loads the rooms and the first room's newest page, then opens the live connection. */
  async start(): Promise<void> {
    if (this.startFromOfflineCopy && this.restoreOfflineCopy()) {
      // Drawn from the copy: the connection retries until the network is back, then resumes
      // the kept timelines from their cursors; the outbox waits for its `ready`.
      this.connection.start();
      this.sendQueue.flush();
      return;
    }
    this.keepOfflineCopy([]);
    await this.loadRooms();
    const active = this.store.getState().activeRoomId;
    if (active) await this.loadLatest(active);
    if (this.ctx.isStopped()) return;
    this.connection.start();
    // Messages left waiting by an earlier visit (or a reload) go out now, with their keys.
    this.sendQueue.flush();
  }

  stop(): void {
    this.copyKeeper?.stop();
    this.ctx.stop();
    this.sendQueue.stop();
    this.connection.stop();
    this.acks.stop();
    this.receipts.stop();
    this.rooms.stop();
    this.timelines.stop();
    this.presence.stop();
    this.awayReporter?.stop();
    this.sendQueue.revokePreviews();
  }

  /** Writes the offline copy now, without waiting (the page is being hidden or closed). */
  saveOfflineCopy(): void {
    this.copyKeeper?.flush();
  }

  private restoreOfflineCopy(): boolean {
    const copy = this.offlineCopy?.load(this.store.getState().me.id);
    if (!copy) return false;
    this.store.update((state) => restoreOfflineCopy(state, copy));
    this.keepOfflineCopy(copy.timelines.map((kept) => kept.roomId));
    const active = this.store.getState().activeRoomId;
    if (active) this.acks.raiseFloor(active, this.store.timeline(active).cursor);
    return true;
  }

  private keepOfflineCopy(recentRoomIds: string[]): void {
    if (!this.offlineCopy || this.ctx.isStopped()) return;
    this.copyKeeper = new OfflineCopyKeeper(
      this.store,
      this.offlineCopy,
      this.offlineCopyDelayMs,
      recentRoomIds,
    );
  }

  /** Reconnects now when offline (the user clicked the indicator). */
  reconnect(): void {
    this.connection.wake();
  }

  selectRoom(roomId: string): void {
    const timeline = this.store.timeline(roomId);
    const room = this.store.getState().rooms.find((candidate) => candidate.id === roomId);
    // Opening a room reads it: the floor moves up to what it holds, dropping what was counted.
    this.acks.raiseFloor(roomId, Math.max(timeline.cursor, room?.lastSeq ?? 0));
    this.store.update((state) => ({
      ...state,
      activeRoomId: roomId,
      missingRoomSlug: null,
      unread: { ...state.unread, [roomId]: 0 },
    }));
    if (!timeline.loaded) void this.loadLatest(roomId);
    else this.acks.markRead(roomId);
    this.receipts.pollNow();
  }

  // ---- rooms and members (RoomDirectory) ----

  loadRooms(): Promise<void> {
    return this.rooms.loadRooms();
  }

  /** Creates a room (the caller owns it) and opens it. Errors are thrown for the form to show. */
  createRoom(body: NewRoom): Promise<Room> {
    return this.rooms.createRoom(body);
  }

  /** Joins a public room from the directory and opens it. */
  joinRoom(roomId: string): Promise<Room> {
    return this.rooms.joinRoom(roomId);
  }

  /** Opens the direct message with `username` (created on first use). */
  openDm(username: string): Promise<Room> {
    return this.rooms.openDm(username);
  }

  updateRoom(roomId: string, changes: { name?: string; topic?: string }): Promise<void> {
    return this.rooms.updateRoom(roomId, changes);
  }

  leaveRoom(roomId: string): Promise<void> {
    return this.rooms.leaveRoom(roomId);
  }

  loadMembers(roomId: string): Promise<void> {
    return this.rooms.loadMembers(roomId);
  }

  addMember(roomId: string, username: string): Promise<void> {
    return this.rooms.addMember(roomId, username);
  }

  removeMember(roomId: string, userId: string): Promise<void> {
    return this.rooms.removeMember(roomId, userId);
  }

  setMemberRole(roomId: string, userId: string, role: 'admin' | 'member'): Promise<void> {
    return this.rooms.setMemberRole(roomId, userId, role);
  }

  // ---- history (TimelineLoader) ----

  loadLatest(roomId: string): Promise<void> {
    return this.timelines.loadLatest(roomId);
  }

  loadOlder(roomId: string): Promise<void> {
    return this.timelines.loadOlder(roomId);
  }

  /**
   * Opens the room of a message (a permalink or a search result) with the history around it
   * loaded, and answers the message; undefined (and a notice saying why) when it cannot be
   * shown: gone, or in a room one cannot read.
   */
  async showMessage(messageId: string): Promise<Message | undefined> {
    try {
      const message = await this.ctx.api.message(messageId);
      this.selectRoom(message.roomId);
      await this.timelines.loadAround(message.roomId, message.seq, message.id);
      return message;
    } catch (error) {
      this.ctx.report(error);
      return undefined;
    }
  }

  // ---- sending (SendQueue) and message actions ----

  /** Sends text; with `reply`, as a reply in a thread (state/threads.ts). */
  sendText(roomId: string, text: string, reply?: OutboxReply): void {
    this.sendQueue.sendText(roomId, text, reply);
  }

  /** A thread's root and all its replies so far (page by page). */
  async loadThread(messageId: string): Promise<ThreadPage> {
    const first = await this.api.thread(messageId);
    const replies = [...first.replies];
    let hasMore = first.hasMore;
    while (hasMore && replies.length > 0) {
      const next = await this.api.thread(messageId, replies.at(-1)?.seq ?? 0);
      replies.push(...next.replies);
      hasMore = next.hasMore && next.replies.length > 0;
    }
    return { root: first.root, replies, hasMore: false };
  }

  sendFile(roomId: string, file: File, caption = ''): void {
    this.sendQueue.sendFile(roomId, file, caption);
  }

  /** Sends a failed item again: same key if the request may not have arrived, a new one if its job failed. */
  retry(localId: string): void {
    this.sendQueue.retry(localId);
  }

  discard(localId: string): void {
    this.sendQueue.discard(localId);
  }

  async editMessage(message: Message, text: string): Promise<boolean> {
    try {
      const edited = await this.api.editMessage(message.id, text.trim());
      this.store.updateTimeline(message.roomId, (timeline) => withMessage(timeline, edited));
      return true;
    } catch (error) {
      this.ctx.report(error);
      return false;
    }
  }

  /**
   * Adds one's reaction with `emoji`, or takes it back when it is there. Shown at once; the
   * room event that follows changes nothing more, and a refusal puts the chip back as it was.
   */
  async toggleReaction(message: Message, emoji: string): Promise<void> {
    const me = this.store.getState().me;
    const user = { id: me.id, username: me.username, displayName: me.displayName };
    const current = this.store
      .getState()
      .timelines[message.roomId]?.messages.find((m) => m.id === message.id);
    const on = !hasReacted(current ?? message, emoji, me.id);
    const apply = (value: boolean) =>
      this.store.updateTimeline(message.roomId, (timeline) => ({
        ...timeline,
        messages: timeline.messages.map((m) =>
          m.id === message.id ? withReaction(m, emoji, user, value) : m,
        ),
      }));
    apply(on);
    try {
      if (on) await this.api.addReaction(message.id, emoji);
      else await this.api.removeReaction(message.id, emoji);
    } catch (error) {
      apply(!on);
      this.ctx.report(error);
    }
  }

  async deleteMessage(message: Message): Promise<void> {
    try {
      await this.api.deleteMessage(message.id);
      this.store.updateTimeline(message.roomId, (timeline) =>
        withMessage(timeline, { ...message, text: '', deleted: true }),
      );
    } catch (error) {
      this.ctx.report(error);
    }
  }

  /** Tells the room one is typing (the composer throttles; the server coalesces too). */
  sendTyping(roomId: string): void {
    this.connection.send({ type: 'typing', roomId });
  }

  /** Sets one's notification level in a room (all, mentions, mute). */
  async setNotifyLevel(roomId: string, level: NotifyLevel): Promise<void> {
    try {
      const room = await this.api.setNotifyLevel(roomId, level);
      this.store.update((state) => ({
        ...state,
        rooms: state.rooms.map((candidate) =>
          candidate.id === roomId ? { ...candidate, notifyLevel: room.notifyLevel ?? level } : candidate,
        ),
      }));
    } catch (error) {
      this.ctx.report(error);
    }
  }

  /**
   * One's own new name or picture (the answer of PATCH /me, PUT or DELETE /me/avatar), shown at
   * once; everyone else, and one's other tabs, hear of it by `user.updated`.
   */
  showProfile(user: User): void {
    this.store.update((state) => applyProfile(state, user));
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
        this.sendQueue.handleJob(frame.job);
        break;
      case 'typing':
      case 'presence':
        this.presence.handleFrame(frame);
        break;
      case 'user.updated':
        this.store.update((state) => applyProfile(state, frame.user));
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
    // Drawn from the offline copy: the server has answered, the room list is read afresh (the
    // kept timelines are caught up by the resume from their cursors).
    const fromCopy = state.fromOfflineCopy !== null;
    if (fromCopy) this.store.update((current) => ({ ...current, fromOfflineCopy: null }));
    if (!state.roomsLoaded || changedWhileAway || fromCopy) {
      void this.rooms.loadRooms(fromCopy).then(() => {
        const active = this.store.getState().activeRoomId;
        if (active && !this.store.timeline(active).loaded) void this.loadLatest(active);
      });
    }
    // Presence frames were missed while away: forget them and ask the member lists again.
    this.presence.reset();
    for (const roomId of Object.keys(state.members)) void this.loadMembers(roomId);
    // The open room's members may not have come while the page was offline.
    if (state.activeRoomId && !state.members[state.activeRoomId]) void this.loadMembers(state.activeRoomId);
    this.awayReporter?.ready();
    // Back online: what waited is sent now, and jobs that may have finished meanwhile are asked for.
    this.sendQueue.resume();
    this.acks.scheduleAck();
  }

  /** Entry point of every room event, live or replayed. */
  handleEvent(event: RoomEvent): void {
    if (!this.rooms.noteEvent(event)) return;
    this.presence.noteEvent(event);
    this.notifier?.noteEvent(event);
    this.timelines.receive(event);
  }
}
