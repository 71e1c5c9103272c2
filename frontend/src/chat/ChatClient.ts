import type { ClientFrame, Job, Message, RoomEvent, ServerFrame } from '@parley/protocol';
import type { ApiClient } from '../api/ApiClient';
import { describeError, isApiError } from '../api/ApiError';
import type { ConnectionStatus } from '../realtime/ConnectionManager';
import type { ChatStore } from '../state/ChatStore';
import { type OutboxItem, updateItem, withClaim, withJob, withoutDelivered } from '../state/outbox';
import {
  type ApplyOutcome,
  applyEvent,
  hasMessage,
  oldestSeq,
  withLatestPage,
  withMessage,
  withOlderPage,
} from '../state/timeline';

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
}

interface RoomSync {
  /** Events held back while the room's first page loads or a gap is being filled. */
  buffer: RoomEvent[];
  loading: boolean;
  filling: boolean;
}

const DEFAULT_ROOM_SLUG = 'general';

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
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly deps: ChatClientDeps) {
    this.api = deps.api;
    this.store = deps.store;
    this.newKey = deps.newKey ?? (() => crypto.randomUUID());
    this.ackDelayMs = deps.ackDelayMs ?? 1000;
    this.refillDelayMs = deps.refillDelayMs ?? 1500;
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
    if (!this.stopped) this.connection.start();
  }

  stop(): void {
    this.stopped = true;
    this.connection.stop();
    clearTimeout(this.ackTimer);
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
      this.store.update((state) => {
        const stillThere = rooms.some((room) => room.id === state.activeRoomId);
        const fallback =
          rooms.find((room) => room.slug === this.deps.initialRoomSlug) ??
          rooms.find((room) => room.slug === DEFAULT_ROOM_SLUG) ??
          rooms[0];
        return {
          ...state,
          rooms,
          roomsLoaded: true,
          activeRoomId: stillThere ? state.activeRoomId : (fallback?.id ?? null),
        };
      });
    } catch (error) {
      this.report(error);
    }
  }

  selectRoom(roomId: string): void {
    this.store.update((state) => ({
      ...state,
      activeRoomId: roomId,
      unread: { ...state.unread, [roomId]: 0 },
    }));
    if (!this.store.timeline(roomId).loaded) void this.loadLatest(roomId);
    this.scheduleAck();
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
      this.pruneOutbox();
    } catch (error) {
      this.report(error);
      sync.buffer = [];
      return;
    } finally {
      sync.loading = false;
    }
    this.drain(roomId);
    this.scheduleAck();
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
    this.addToOutbox({ localId, idempotencyKey: localId, roomId, kind: 'message', text: trimmed });
    void this.submit(localId);
  }

  sendFile(roomId: string, file: File, caption = ''): void {
    const localId = this.newKey();
    this.files.set(localId, file);
    const previewUrl =
      file.type.startsWith('image/') && typeof URL.createObjectURL === 'function'
        ? URL.createObjectURL(file)
        : undefined;
    this.addToOutbox({
      localId,
      idempotencyKey: localId,
      roomId,
      kind: 'file',
      text: caption.trim(),
      file: { name: file.name, size: file.size, type: file.type, ...(previewUrl ? { previewUrl } : {}) },
      progress: 0,
    });
    void this.submit(localId);
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
          status: 'sending',
          ...(entry.kind === 'file' ? { progress: 0 } : {}),
        };
      }),
    );
    void this.submit(localId);
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
    const known = new Set(this.store.getState().rooms.map((room) => room.id));
    if (!this.store.getState().roomsLoaded || rooms.some((room) => !known.has(room.roomId))) {
      void this.loadRooms().then(() => {
        const active = this.store.getState().activeRoomId;
        if (active && !this.store.timeline(active).loaded) void this.loadLatest(active);
      });
    }
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
    this.scheduleAck();
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

  private addToOutbox(item: Omit<OutboxItem, 'status' | 'createdAt'>): void {
    const entry: OutboxItem = { ...item, status: 'sending', createdAt: new Date().toISOString() };
    this.store.updateOutbox((outbox) => [...outbox, entry]);
  }

  private async submit(localId: string): Promise<void> {
    const item = this.outboxItem(localId);
    if (!item) return;
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
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        this.endSession();
        return;
      }
      const jobFailed = isApiError(error) && error.code === 'idempotency_key_reused';
      this.store.updateOutbox((outbox) =>
        updateItem(outbox, localId, { status: 'failed', error: describeError(error), jobFailed }),
      );
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

  // ---- acks, unread, helpers ----

  private scheduleAck(): void {
    if (this.ackTimer !== undefined || this.stopped) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      const roomId = this.store.getState().activeRoomId;
      if (!roomId) return;
      const { cursor, loaded } = this.store.timeline(roomId);
      if (!loaded || cursor <= (this.acked.get(roomId) ?? 0)) return;
      if (this.connection.send({ type: 'ack', roomId, seq: cursor })) this.acked.set(roomId, cursor);
    }, this.ackDelayMs);
  }

  private countUnread(event: RoomEvent): void {
    const state = this.store.getState();
    if (event.type !== 'message.created' || event.roomId === state.activeRoomId) return;
    if (event.actor.id === state.me.id) return;
    this.store.update((current) => ({
      ...current,
      unread: { ...current.unread, [event.roomId]: (current.unread[event.roomId] ?? 0) + 1 },
    }));
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

function rank(job: Job): number {
  return job.status === 'completed' || job.status === 'failed' ? 2 : job.status === 'processing' ? 1 : 0;
}

function revokePreview(item: OutboxItem): void {
  if (item.file?.previewUrl && typeof URL.revokeObjectURL === 'function')
    URL.revokeObjectURL(item.file.previewUrl);
}
