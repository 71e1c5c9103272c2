import {
  type AuditEvent,
  type ChangePasswordBody,
  DEFAULT_MAX_UPLOAD_BYTES,
  type Job,
  type LoginBody,
  type MeAnswer,
  type Member,
  type MentionsResponse,
  type Message,
  type MessageReceipts,
  type MessagesAroundResponse,
  type NotifyLevel,
  type PushSubscriptionBody,
  type Reaction,
  type RegisterBody,
  type Room,
  type RoomEvent,
  type SearchResponse,
  type ServerLimits,
  type SessionSummary,
  type ThreadPage,
  type User,
  type UserRef,
  type UserSettings,
  type UsersAnswer,
  type VapidPublicKeyResponse,
} from '@parley/protocol';
import { ApiError } from './ApiError';
import { type UploadHandle, type UploadRequest, uploadFile } from './uploadFile';

export interface NewRoom {
  name: string;
  visibility: 'public' | 'private';
  topic?: string;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

/**
 * The REST side of the contract. Every call sends the session cookie (`credentials: 'include'`);
 * the app never sees or stores the token. Failures throw `ApiError` with the contract's `code`.
 */
export class ApiClient {
  /**
   * The server's configured limits, as `GET /me` last told them (the default until then): the
   * composer refuses a file over `maxUploadBytes` before uploading it.
   */
  serverLimits: ServerLimits = { maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES };

  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
  ) {}

  async register(body: RegisterBody): Promise<User> {
    const answer = await this.request<{ user: User }>('POST', '/auth/register', body);
    return answer.user;
  }

  async login(body: LoginBody): Promise<User> {
    const answer = await this.request<{ user: User }>('POST', '/auth/login', body);
    return answer.user;
  }

  async logout(): Promise<void> {
    await this.request<void>('POST', '/auth/logout');
  }

  async me(): Promise<User> {
    const answer = await this.request<MeAnswer>('GET', '/me');
    if (answer.limits) this.serverLimits = answer.limits;
    return answer.user;
  }

  async wsTicket(): Promise<string> {
    const answer = await this.request<{ ticket: string; expiresAt: string }>('POST', '/auth/ws-ticket');
    return answer.ticket;
  }

  async rooms(): Promise<Room[]> {
    const answer = await this.request<{ rooms: Room[] }>('GET', '/rooms');
    return answer.rooms;
  }

  /** Joins a public room (POST /rooms/:roomId/join); answers the room with the new membership. */
  async joinRoom(roomId: string): Promise<Room> {
    const answer = await this.request<{ room: Room }>('POST', `/rooms/${encodeURIComponent(roomId)}/join`);
    return answer.room;
  }

  /** POST /rooms: the caller becomes the owner. */
  async createRoom(body: NewRoom): Promise<Room> {
    const answer = await this.request<{ room: Room }>('POST', '/rooms', body);
    return answer.room;
  }

  /** PATCH /rooms/:roomId (owner or admin): a new name and/or topic. */
  async updateRoom(roomId: string, changes: { name?: string; topic?: string }): Promise<Room> {
    const answer = await this.request<{ room: Room }>(
      'PATCH',
      `/rooms/${encodeURIComponent(roomId)}`,
      changes,
    );
    return answer.room;
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.request<void>('POST', `/rooms/${encodeURIComponent(roomId)}/leave`);
  }

  async members(roomId: string): Promise<Member[]> {
    const answer = await this.request<{ members: Member[] }>(
      'GET',
      `/rooms/${encodeURIComponent(roomId)}/members`,
    );
    return answer.members;
  }

  /** Adds someone by username (owner or admin); 404 when nobody has that name. */
  async addMember(roomId: string, username: string): Promise<Member> {
    const answer = await this.request<{ member: Member }>(
      'POST',
      `/rooms/${encodeURIComponent(roomId)}/members`,
      { username },
    );
    return answer.member;
  }

  /** Makes a member a room admin or back (owner only). */
  async setMemberRole(roomId: string, userId: string, role: 'admin' | 'member'): Promise<Member> {
    const answer = await this.request<{ member: Member }>(
      'PATCH',
      `/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(userId)}`,
      { role },
    );
    return answer.member;
  }

  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.request<void>(
      'DELETE',
      `/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(userId)}`,
    );
  }

  /** GET /users?q=: up to 20 people whose username or display name contains the text. */
  async searchUsers(text: string, signal?: AbortSignal): Promise<UserRef[]> {
    const query = new URLSearchParams({ q: text });
    const answer = await this.request<UsersAnswer>('GET', `/users?${query}`, undefined, {}, signal);
    return answer.users;
  }

  /** PUT /rooms/:roomId/notifications: the caller's level in the room; answers the room. */
  async setNotifyLevel(roomId: string, level: NotifyLevel): Promise<Room> {
    const answer = await this.request<{ room: Room }>(
      'PUT',
      `/rooms/${encodeURIComponent(roomId)}/notifications`,
      { level },
    );
    return answer.room;
  }

  /** Opens (or finds) the direct message with `username`. */
  async openDm(username: string): Promise<Room> {
    const answer = await this.request<{ room: Room }>('POST', '/dms', { username });
    return answer.room;
  }

  /** One page of history in ascending seq: the newest page without `before`. */
  async messages(
    roomId: string,
    options: { before?: number; after?: number; limit?: number } = {},
  ): Promise<Page<Message>> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 50) });
    if (options.before !== undefined) query.set('before', String(options.before));
    if (options.after !== undefined) query.set('after', String(options.after));
    const answer = await this.request<{ messages: Message[]; hasMore: boolean }>(
      'GET',
      `/rooms/${encodeURIComponent(roomId)}/messages?${query}`,
    );
    return { items: answer.messages, hasMore: answer.hasMore };
  }

  /** A message's thread: its root and a page of replies above `after`, ascending. */
  async thread(messageId: string, after = 0, limit = 200): Promise<ThreadPage> {
    const query = new URLSearchParams({ after: String(after), limit: String(limit) });
    return this.request<ThreadPage>('GET', `/messages/${encodeURIComponent(messageId)}/thread?${query}`);
  }

  /** History centred on `seq` (a permalink): ascending, with whether more lies on each side. */
  async messagesAround(roomId: string, seq: number, limit = 50): Promise<MessagesAroundResponse> {
    const query = new URLSearchParams({ around: String(seq), limit: String(limit) });
    return this.request<MessagesAroundResponse>(
      'GET',
      `/rooms/${encodeURIComponent(roomId)}/messages?${query}`,
    );
  }

  /** One message by id (members of its room only). */
  async message(messageId: string): Promise<Message> {
    const answer = await this.request<{ message: Message }>(
      'GET',
      `/messages/${encodeURIComponent(messageId)}`,
    );
    return answer.message;
  }

  /** Full-text search over the caller's rooms, newest first; `before` is a page's nextCursor. */
  async search(q: string, options: { before?: string; limit?: number } = {}): Promise<SearchResponse> {
    const query = new URLSearchParams({ q, limit: String(options.limit ?? 20) });
    if (options.before !== undefined) query.set('before', options.before);
    return this.request<SearchResponse>('GET', `/search?${query}`);
  }

  /** The Mentions inbox: newest first across the caller's rooms; `before` is a page's nextCursor. */
  async mentions(options: { before?: string; limit?: number } = {}): Promise<MentionsResponse> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 30) });
    if (options.before !== undefined) query.set('before', options.before);
    return this.request<MentionsResponse>('GET', `/mentions?${query}`);
  }

  /** The server's VAPID public key (base64url), for `pushManager.subscribe`. */
  async vapidPublicKey(): Promise<string> {
    return (await this.request<VapidPublicKeyResponse>('GET', '/push/vapid-public-key')).publicKey;
  }

  /** Registers this browser's push subscription (`PushSubscription.toJSON()`). */
  async subscribePush(subscription: PushSubscriptionBody): Promise<void> {
    await this.request<void>('POST', '/push/subscriptions', subscription);
  }

  /** Forgets this browser's push subscription. */
  async unsubscribePush(endpoint: string): Promise<void> {
    await this.request<void>('DELETE', '/push/subscriptions', { endpoint });
  }

  /** Events after `after`, ascending: the catch-up used to fill a gap. */
  async events(roomId: string, after: number, limit = 200): Promise<Page<RoomEvent>> {
    const query = new URLSearchParams({ after: String(after), limit: String(limit) });
    const answer = await this.request<{ events: RoomEvent[]; hasMore: boolean }>(
      'GET',
      `/rooms/${encodeURIComponent(roomId)}/events?${query}`,
    );
    return { items: answer.events, hasMore: answer.hasMore };
  }

  /** A message; with `reply`, a reply in a thread (shown in the room too with `alsoToRoom`). */
  async sendMessage(
    roomId: string,
    text: string,
    idempotencyKey: string,
    reply?: { replyTo: string; alsoToRoom: boolean },
  ): Promise<Job> {
    const answer = await this.request<{ job: Job }>(
      'POST',
      '/jobs',
      reply
        ? { type: 'message', roomId, text, replyTo: reply.replyTo, alsoToRoom: reply.alsoToRoom }
        : { type: 'message', roomId, text },
      { 'Idempotency-Key': idempotencyKey },
    );
    return answer.job;
  }

  /** Multipart upload through XMLHttpRequest, so that upload progress can be shown. */
  uploadFile(request: Omit<UploadRequest, 'url'>): UploadHandle {
    return uploadFile({ ...request, url: `${this.baseUrl}/jobs` });
  }

  async job(jobId: string): Promise<Job> {
    const answer = await this.request<{ job: Job }>('GET', `/jobs/${encodeURIComponent(jobId)}`);
    return answer.job;
  }

  async editMessage(messageId: string, text: string): Promise<Message> {
    const answer = await this.request<{ message: Message }>(
      'PATCH',
      `/messages/${encodeURIComponent(messageId)}`,
      { text },
    );
    return answer.message;
  }

  async deleteMessage(messageId: string): Promise<void> {
    await this.request<void>('DELETE', `/messages/${encodeURIComponent(messageId)}`);
  }

  /** Reacts with one emoji (idempotent); answers the message's reactions as they now are. */
  async addReaction(messageId: string, emoji: string): Promise<Reaction[]> {
    const answer = await this.request<{ reactions: Reaction[] }>('PUT', reactionPath(messageId, emoji));
    return answer.reactions;
  }

  /** Takes one's reaction back (idempotent). */
  async removeReaction(messageId: string, emoji: string): Promise<void> {
    await this.request<void>('DELETE', reactionPath(messageId, emoji));
  }

  /** How far one of one's own messages got: delivered to how many, seen by whom (author only). */
  async receipts(messageId: string): Promise<MessageReceipts> {
    const answer = await this.request<{ receipts: MessageReceipts }>(
      'GET',
      `/messages/${encodeURIComponent(messageId)}/receipts`,
    );
    return answer.receipts;
  }

  async settings(): Promise<UserSettings> {
    const answer = await this.request<{ settings: UserSettings }>('GET', '/me/settings');
    return answer.settings;
  }

  async updateSettings(changes: Partial<UserSettings>): Promise<UserSettings> {
    const answer = await this.request<{ settings: UserSettings }>('PATCH', '/me/settings', changes);
    return answer.settings;
  }

  /** GET /me/sessions: where one is signed in, the most recently used first. */
  async sessions(): Promise<SessionSummary[]> {
    const answer = await this.request<{ sessions: SessionSummary[] }>('GET', '/me/sessions');
    return answer.sessions;
  }

  /** Signs one of one's other sessions out (its sockets close with 4001). */
  async revokeSession(sessionId: string): Promise<void> {
    await this.request<void>('DELETE', `/me/sessions/${encodeURIComponent(sessionId)}`);
  }

  /** Signs out every session but this one. */
  async revokeOtherSessions(): Promise<void> {
    await this.request<void>('POST', '/me/sessions/revoke-others');
  }

  /** Changes the password; every other session is signed out. 403 when the current one is wrong. */
  async changePassword(body: ChangePasswordBody): Promise<void> {
    await this.request<void>('POST', '/me/password', body);
  }

  /** PATCH /me: one's display name. */
  async updateProfile(displayName: string): Promise<User> {
    const answer = await this.request<{ user: User }>('PATCH', '/me', { displayName });
    return answer.user;
  }

  /** PUT /me/avatar: the image itself as the body; the server sniffs, crops and resizes it. */
  async setAvatar(image: Blob): Promise<User> {
    const answer = await this.request<{ user: User }>('PUT', '/me/avatar', image, {
      'Content-Type': image.type || 'application/octet-stream',
    });
    return answer.user;
  }

  /** DELETE /me/avatar. */
  async removeAvatar(): Promise<User> {
    const answer = await this.request<{ user: User }>('DELETE', '/me/avatar');
    return answer.user;
  }

  /** GET /admin/dlq (instance admins): failed jobs, the latest failure first. */
  async deadLetters(): Promise<Job[]> {
    const answer = await this.request<{ jobs: Job[] }>('GET', '/admin/dlq');
    return answer.jobs;
  }

  /** Puts a failed job back in the queue (202); 409 when it is no longer failed. */
  async retryDeadLetter(jobId: string): Promise<Job> {
    const answer = await this.request<{ job: Job }>('POST', `/admin/dlq/${encodeURIComponent(jobId)}/retry`);
    return answer.job;
  }

  /**
   * GET /admin/audit (instance admins): a page of the audit log, newest first; `before` an
   * event's id for the next older page.
   */
  async auditLog(
    page: { before?: string; limit?: number } = {},
  ): Promise<{ events: AuditEvent[]; hasMore: boolean }> {
    const query = new URLSearchParams();
    if (page.before) query.set('before', page.before);
    if (page.limit) query.set('limit', String(page.limit));
    const search = query.toString();
    return this.request('GET', `/admin/audit${search ? `?${search}` : ''}`);
  }

  /** Resolves a server-relative URL (such as an attachment's `url`) against the API base. */
  resolveUrl(path: string): string {
    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
    return `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<T> {
    const init: RequestInit = {
      method,
      credentials: 'include',
      headers: { Accept: 'application/json', ...headers },
      ...(signal ? { signal } : {}),
    };
    if (body instanceof Blob) {
      init.body = body; // Bytes as they are (an avatar); the caller names their type.
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { ...init.headers, 'Content-Type': 'application/json' };
    }
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, init);
    } catch (cause) {
      throw new ApiError('network_error', 'Could not reach the server. Check your connection.', { cause });
    }
    const parsed = await readJson(response);
    if (!response.ok) {
      throw ApiError.fromBody(response.status, parsed, response.headers.get('Retry-After'));
    }
    return parsed as T;
  }
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The emoji travels as a percent-encoded path segment. */
const reactionPath = (messageId: string, emoji: string) =>
  `/messages/${encodeURIComponent(messageId)}/reactions/${encodeURIComponent(emoji)}`;
