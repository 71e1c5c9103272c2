/** Shapes of the resources the server answers with. */

export type UserRole = 'admin' | 'member';
export type RoomVisibility = 'public' | 'private' | 'dm';
export type RoomRole = 'owner' | 'admin' | 'member';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  /** The avatar (256 × 256 WebP, the version in the path), or null when none (profiles.ts). */
  avatarUrl: string | null;
}

export interface UserRef {
  id: string;
  username: string;
  displayName: string;
  /** As on `User`; present where people are shown with their picture (authors, members, lookups). */
  avatarUrl?: string | null;
}

export interface Room {
  id: string;
  slug: string;
  name: string;
  topic: string;
  visibility: RoomVisibility;
  lastSeq: number;
  membership: RoomRole | null;
  /** The caller's cumulative acknowledgement cursor in this room (0 when none). */
  ackSeq?: number;
  /** The caller's notification level here (members only; see notifications.ts). */
  notifyLevel?: 'all' | 'mentions' | 'mute';
}

/** Delivery state of one message, for its author. */
export interface MessageReceipts {
  messageId: string;
  /** Members other than the author. */
  recipients: number;
  /** How many of them were sent the message on a socket, or have read past it. */
  delivered: number;
  /** Those who have read it (acknowledged past it) and share read receipts. */
  seenBy: UserRef[];
}

export interface UserSettings {
  shareReadReceipts: boolean;
}

/** One of the caller's signed-in sessions (`GET /me/sessions`). */
export interface SessionSummary {
  id: string;
  createdAt: string;
  /** When it was last used, to within an hour; absent for a session not used since the upgrade that added it. */
  lastSeenAt?: string;
  /** When it ends unless used again: the earlier of its absolute and its idle expiry. */
  expiresAt: string;
  /** True for the session the request itself came with. */
  current: boolean;
  /** The `User-Agent` it signed in with (at most 200 characters), when it sent one. */
  userAgent?: string;
}

/** What an instance admin sees of an account. */
export interface AccountSummary extends User {
  createdAt: string;
  deactivated: boolean;
}

export interface Member {
  /** The whole user, with their instance role, as everywhere the contract says `user`. */
  user: User;
  role: RoomRole;
  joinedAt: string;
  /** Whether the member has a socket open anywhere (`GET /rooms/:roomId/members` only). */
  online?: boolean;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
  thumbnailUrl?: string;
  width?: number;
  height?: number;
}

export interface Message {
  id: string;
  roomId: string;
  seq: number;
  author: UserRef;
  text: string;
  attachment?: Attachment;
  replyTo?: string;
  /** On a reply: its thread's root (threads.ts). */
  threadId?: string;
  /** On a reply also sent to the room's timeline. */
  alsoToRoom?: boolean;
  /** On a thread's root with replies: their summary. */
  thread?: ThreadSummary;
  createdAt: string;
  editedAt?: string;
  deleted?: boolean;
  /** Emoji reactions in first-reacted order; absent when there are none. */
  reactions?: Reaction[];
}

/** One emoji on a message: how many reacted with it and who, in the order they reacted. */
export interface Reaction {
  emoji: string;
  count: number;
  users: UserRef[];
}

/** `data` of the `reaction.added` and `reaction.removed` room events (the actor is `user`). */
export interface ReactionEventData {
  messageId: string;
  emoji: string;
  user: UserRef;
}

/** On a thread's root: how many replies it has, when the latest came, and who wrote the latest (threads.ts). */
export interface ThreadSummary {
  replyCount: number;
  lastReplyAt: string;
  /** Up to three distinct authors of the latest replies, the latest first. */
  lastRepliers: UserRef[];
}

export type RoomEvent =
  | EventBase<'message.created', { message: Message }>
  | EventBase<'message.edited', { message: Message }>
  | EventBase<'message.deleted', { messageId: string }>
  | EventBase<'member.joined', { user: UserRef }>
  | EventBase<'member.left', { user: UserRef }>
  | EventBase<'member.role_changed', { user: UserRef; role: RoomRole }>
  | EventBase<'room.updated', { name: string; topic: string }>
  | EventBase<'reaction.added', ReactionEventData>
  | EventBase<'reaction.removed', ReactionEventData>;

export interface EventBase<T extends string, D> {
  roomId: string;
  seq: number;
  type: T;
  at: string;
  actor: UserRef;
  data: D;
}

export type JobType = 'message' | 'file';
export type JobStatus = 'queued' | 'processing' | 'completed' | 'failed';

export interface Job {
  id: string;
  type: JobType;
  status: JobStatus;
  roomId: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  error?: { code: string; message: string };
  result?: { messageId: string; seq: number };
}

/** What the audit log records: security and admin events (`GET /admin/audit`). */
export const AUDIT_EVENT_TYPES = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.register',
  'session.revoked',
  'password.changed',
  'user.deactivated',
  'room.role_changed',
  'member.removed',
  'dlq.retried',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** What an audit event was done to: an account (with who it is, when it still exists), a session or a job. */
export interface AuditTarget {
  kind: 'user' | 'session' | 'job';
  id: string;
  user?: UserRef;
}

/**
 * One entry of the audit log. `actor` is who did it (absent for a failed sign-in, which has no
 * one yet); `ip` the client address as the server saw it (`TRUST_PROXY`); `details` what else
 * the type records (a failed sign-in's `username`, a room's `roomId` and `roomName`, a new
 * `role`, a job's `jobType`, how many sessions ended), never a password or a token.
 */
export interface AuditEvent {
  id: string;
  at: string;
  type: AuditEventType;
  actor?: UserRef;
  target?: AuditTarget;
  ip?: string;
  details: Record<string, string | number | boolean>;
}
