/** Rows as the core sees them, independent of any database. Times are ISO-8601 strings. */
import type {
  AuditEventType,
  JobStatus,
  JobType,
  NotifyLevel,
  RoomRole,
  RoomVisibility,
  UserRole,
} from '@parley/protocol';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  passwordHash: string;
  deactivatedAt: string | null;
  createdAt: string;
  /** Names the current avatar's images and URL; null when there is none (profiles). */
  avatarVersion?: string | null;
}

export interface SessionRecord {
  id: string;
  userId: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /**
   * When it was last used, to within `SEEN_RESOLUTION_MS` (written at most once an hour); null
   * only for sessions made before migration 009 and not used since.
   */
  lastSeenAt?: string | null;
  /** The `User-Agent` it signed in with, cut to `LIMITS.userAgentMax`. */
  userAgent?: string | null;
}

export interface RoomRecord {
  id: string;
  slug: string;
  name: string;
  topic: string;
  visibility: RoomVisibility;
  lastSeq: number;
  createdAt: string;
  /** For DMs: the sorted member ids, so each set of people has one DM room. */
  dmKey: string | null;
}

export interface MembershipRecord {
  roomId: string;
  userId: string;
  role: RoomRole;
  joinedAt: string;
  ackSeq: number;
  /** The member's chosen notification level; null or absent: the default. */
  notifyLevel?: NotifyLevel | null;
}

export interface MessageRecord {
  id: string;
  roomId: string;
  seq: number;
  authorId: string;
  text: string;
  replyTo: string | null;
  /** The root of the reply's thread (core/threads); null or absent for a message that is no reply. */
  threadId?: string | null;
  /** A reply shown in the room's timeline too (absent: false). */
  alsoToRoom?: boolean;
  fileId: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

/** A reaction of one user with one emoji to one message (migration 011). */
export interface ReactionRecord {
  id: string;
  messageId: string;
  roomId: string;
  userId: string;
  emoji: string;
  at: string;
}

export interface FileRecord {
  id: string;
  roomId: string;
  uploaderId: string;
  blobKey: string;
  fileName: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  thumbnailKey: string | null;
  createdAt: string;
}

/** What a job carries to its worker; stored as JSON. */
export type JobPayload =
  | { type: 'message'; text: string; replyTo?: string; alsoToRoom?: boolean }
  | {
      type: 'file';
      /** The uploaded bytes, already durable in the blob store before the job was recorded. */
      blobKey: string;
      fileName: string;
      declaredContentType: string;
      size: number;
      caption?: string;
    };

export interface JobRecord {
  id: string;
  userId: string;
  roomId: string;
  type: JobType;
  status: JobStatus;
  payload: JobPayload;
  idempotencyKey: string | null;
  /** SHA-256 of the request's meaningful content, to tell a replay from a reused key. */
  requestHash: string | null;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  leaseUntil: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  resultMessageId: string | null;
  resultSeq: number | null;
  createdAt: string;
  updatedAt: string;
}

/** One entry of the audit log as stored. */
export interface AuditRecord {
  id: string;
  at: string;
  type: AuditEventType;
  actorId: string | null;
  targetId: string | null;
  ip: string | null;
  details: AuditDetails;
}

/** What else an audit entry records; never a password or a token. */
export type AuditDetails = Record<string, string | number | boolean>;
