/** Table shapes as Kysely sees them; the same schema in SQLite and PostgreSQL. */
import type { JobStatus, JobType, NotifyLevel, RoomRole, RoomVisibility, UserRole } from '@parley/protocol';
import type { ColumnType } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: UserRole;
  password_hash: string;
  deactivated_at: string | null;
  created_at: string;
  /** 1 or 0: whether others see when this user has read their messages. */
  share_read_receipts: number;
  /** The avatar's version (015), null when the user has none. */
  avatar_version: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** Migration 009; null for sessions made before it and not used since. */
  last_seen_at: string | null;
  /** Migration 009. */
  user_agent: string | null;
}

export interface WsTicketsTable {
  ticket_hash: string;
  session_id: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
}

export interface RoomsTable {
  id: string;
  slug: string;
  name: string;
  topic: string;
  visibility: RoomVisibility;
  last_seq: number;
  created_at: string;
  dm_key: string | null;
}

export interface MembershipsTable {
  room_id: string;
  user_id: string;
  role: RoomRole;
  joined_at: string;
  ack_seq: number;
  delivered_seq: number;
  /** Migration 014; null: the default level for the room's kind. */
  notify_level: ColumnType<NotifyLevel | null, NotifyLevel | null | undefined, NotifyLevel | null>;
}

export interface EventsTable {
  room_id: string;
  seq: number;
  type: string;
  actor_id: string;
  /** The whole event as JSON, stored once and sent as is. */
  body: string;
  at: string;
  /** The message a message.* event is about, for redaction on delete. */
  message_id: string | null;
}

export interface MessagesTable {
  id: string;
  room_id: string;
  seq: number;
  author_id: string;
  text: string;
  reply_to: string | null;
  file_id: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  /**
   * The message as clients see it, as JSON (what `toMessage` builds from the joined row), kept
   * in step on every write, so a history page reads one column instead of a join.
   */
  view: string;
  /** The root of the thread this reply belongs to (migration 012); null for a message that is no reply. */
  thread_id: string | null;
  /** 1 when a reply was also sent to the room's timeline. */
  also_to_room: number;
  /** On a thread's root: its replies so far, the latest one's time, and up to three latest repliers (JSON). */
  reply_count: number;
  last_reply_at: string | null;
  last_repliers: string;
}

export interface FilesTable {
  id: string;
  room_id: string;
  uploader_id: string;
  blob_key: string;
  file_name: string;
  content_type: string;
  size: number;
  width: number | null;
  height: number | null;
  thumbnail_key: string | null;
  created_at: string;
}

export interface JobsTable {
  id: string;
  user_id: string;
  room_id: string;
  type: JobType;
  status: JobStatus;
  payload: string;
  idempotency_key: string | null;
  request_hash: string | null;
  attempts: number;
  max_attempts: number;
  run_at: string;
  lease_until: string | null;
  error_code: string | null;
  error_message: string | null;
  result_message_id: string | null;
  result_seq: number | null;
  created_at: string;
  updated_at: string;
  failed_at: string | null;
  /** The upload a file job carries (also in `payload`), for the orphan sweeper. */
  blob_key: string | null;
}

/** One row (id 1) of facts about the whole instance. */
export interface InstanceTable {
  id: number;
  /** The first account ever created (the instance admin), claimed once; null before any sign-up. */
  first_user_id: string | null;
}

/** Who holds each cluster-wide duty, until when. */
export interface DutyLeasesTable {
  name: string;
  holder_id: string;
  lease_until: string;
}

/** Migration 010: the audit log. */
export interface AuditEventsTable {
  id: string;
  at: string;
  type: string;
  actor_id: string | null;
  target_id: string | null;
  ip: string | null;
  /** A JSON object. */
  details: string;
}

/** Migration 011: one row per (message, user, emoji). */
export interface ReactionsTable {
  id: string;
  message_id: string;
  room_id: string;
  user_id: string;
  emoji: string;
  at: string;
}

/** Migration 016: who a message calls on (`recipient_id` a user id, or `*` for everyone). */
export interface MentionsTable {
  recipient_id: string;
  message_id: string;
  room_id: string;
  seq: number;
  reason: string;
}

/** Migration 016: the installation's one VAPID key pair (id always 1). */
export interface VapidKeysTable {
  id: number;
  public_key: string;
  private_key: string;
  created_at: string;
}

/** Migration 016: browsers' push subscriptions, one per endpoint. */
export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  session_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: string;
}

export interface Tables {
  users: UsersTable;
  sessions: SessionsTable;
  ws_tickets: WsTicketsTable;
  rooms: RoomsTable;
  memberships: MembershipsTable;
  events: EventsTable;
  messages: MessagesTable;
  files: FilesTable;
  jobs: JobsTable;
  instance: InstanceTable;
  duty_leases: DutyLeasesTable;
  audit_events: AuditEventsTable;
  reactions: ReactionsTable;
  mentions: MentionsTable;
  vapid_keys: VapidKeysTable;
  push_subscriptions: PushSubscriptionsTable;
}
