/**
 * The storage port: repositories named in our own words, and a transaction that groups them.
 * Implemented once over Kysely for SQLite (embedded) and PostgreSQL (scaled out).
 */
import type {
  JobStatus,
  JobType,
  Message,
  NotifyLevel,
  Reaction,
  RoomEvent,
  RoomRole,
  User,
  UserRef,
} from '@parley/protocol';
import type { MentionsRepository } from './mentions.js';
import type { MessageSearchRepository } from './message-search.js';
import type { PushRepository } from './push.js';
import type {
  AuditRecord,
  FileRecord,
  JobRecord,
  MembershipRecord,
  MessageRecord,
  ReactionRecord,
  RoomRecord,
  SessionRecord,
  UserRecord,
} from './records.js';

/** A claim on a job: its id and the attempt the claim started. */
export interface JobClaim {
  id: string;
  attempts: number;
}

export interface UsersRepository {
  /**
   * Claims the instance's first account for this user, once per instance: true for exactly one
   * caller ever, however many sign up at the same time (the first sign-up becomes the instance
   * admin). Call it in the transaction that inserts the user, so a sign-up that fails gives the
   * claim back.
   */
  claimFirstAccount(userId: string): Promise<boolean>;
  /** Inserts a user; false when the username is taken. */
  insert(user: UserRecord): Promise<boolean>;
  findById(id: string): Promise<UserRecord | undefined>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  /**
   * Active users whose username or display name contains `text` (case-insensitive for ASCII
   * letters), at most `limit`, by username.
   */
  search(text: string, limit: number): Promise<UserRecord[]>;
  deactivate(id: string, now: string): Promise<void>;
  shareReadReceipts(id: string): Promise<boolean>;
  setShareReadReceipts(id: string, share: boolean): Promise<void>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  /** The users with these ids (any order; unknown ids are skipped), for showing authors as they are now. */
  findByIds(ids: string[]): Promise<UserRecord[]>;
  setDisplayName(id: string, displayName: string): Promise<void>;
  /** Sets (or clears, with null) the avatar version; answers the one it replaced. */
  setAvatarVersion(id: string, version: string | null): Promise<string | null>;
}

export interface SessionsRepository {
  insert(session: SessionRecord): Promise<void>;
  /**
   * The live session by token hash or id, with its active user. Live: not revoked, not expired
   * at `now`, and, given an `idleCutoff`, last seen after it (a session never seen since
   * migration 009 is judged by its expiry alone).
   */
  findLive(
    key: { tokenHash: string } | { id: string },
    now: string,
    idleCutoff?: string,
  ): Promise<{ session: SessionRecord; user: UserRecord } | undefined>;
  /** Which of these sessions are still live (as `findLive`, and their user active). */
  liveAmong(sessionIds: string[], now: string, idleCutoff?: string): Promise<Set<string>>;
  /** A user's live sessions (as `findLive`), the most recently used first. */
  listLiveOf(userId: string, now: string, idleCutoff?: string): Promise<SessionRecord[]>;
  /**
   * Records that these sessions were used at `now`, but only those last seen before
   * `staleBefore` (so a session is written at most once per that interval, by any instance)
   * and still live: an expired or idle session is never brought back.
   */
  touch(sessionIds: string[], now: string, staleBefore: string, idleCutoff?: string): Promise<void>;
  revoke(sessionId: string, now: string): Promise<void>;
  /** Revokes one unrevoked session of this user; false when the user has no such session. */
  revokeOf(userId: string, sessionId: string, now: string): Promise<boolean>;
  /** Revokes every live session of a user, but `exceptSessionId`; returns their ids. */
  revokeAllOf(userId: string, now: string, exceptSessionId?: string): Promise<string[]>;
}

export interface TicketsRepository {
  insert(ticket: { ticketHash: string; sessionId: string; userId: string; expiresAt: string }): Promise<void>;
  /** Marks an unexpired, unused ticket used and returns its session; single use under concurrency. */
  consume(ticketHash: string, now: string): Promise<{ sessionId: string; userId: string } | undefined>;
  deleteExpired(now: string): Promise<void>;
}

export interface RoomWithMembership extends RoomRecord {
  role: RoomRole | null;
  ackSeq: number;
  notifyLevel: NotifyLevel | null;
}

export interface RoomsRepository {
  insert(room: RoomRecord): Promise<boolean>;
  findById(id: string): Promise<RoomRecord | undefined>;
  findBySlug(slug: string): Promise<RoomRecord | undefined>;
  findByDmKey(dmKey: string): Promise<RoomRecord | undefined>;
  update(id: string, changes: { name?: string; topic?: string }): Promise<void>;
  listAll(): Promise<RoomRecord[]>;
  /** Rooms the user is a member of, and every public room. */
  listVisibleTo(userId: string): Promise<RoomWithMembership[]>;
  /** Takes the room's next seq. Only inside a transaction, which makes the seq gapless. */
  takeNextSeq(roomId: string): Promise<number>;
  /**
   * Takes the room's next `count` seqs at once (a batch of messages); returns the first, the
   * others follow it. Only inside a transaction, like takeNextSeq.
   */
  takeNextSeqs(roomId: string, count: number): Promise<number>;
}

export interface MembershipsRepository {
  find(roomId: string, userId: string): Promise<MembershipRecord | undefined>;
  insert(membership: MembershipRecord): Promise<void>;
  delete(roomId: string, userId: string): Promise<void>;
  setRole(roomId: string, userId: string, role: RoomRole): Promise<void>;
  setNotifyLevel(roomId: string, userId: string, level: NotifyLevel): Promise<void>;
  /** Members with their accounts, the longest-standing first. */
  list(roomId: string): Promise<(MembershipRecord & { user: User })[]>;
  /** Every room of the user with its current last seq (the `ready` frame). */
  roomCursorsOf(userId: string): Promise<{ roomId: string; lastSeq: number }[]>;
  /** The rooms of each of these users with their last seqs (users in no room are absent). */
  roomCursorsOfUsers(userIds: string[]): Promise<Map<string, { roomId: string; lastSeq: number }[]>>;
  /** Moves the cumulative ack forward (never back, never past the room's last seq). */
  advanceAck(roomId: string, userId: string, seq: number): Promise<void>;
  /** Moves delivery cursors forward (never back), many at once. */
  advanceDelivered(cursors: { roomId: string; userId: string; seq: number }[]): Promise<void>;
  /** Receipts of the message at `seq`, counting every member but the author. */
  receiptsAt(
    roomId: string,
    seq: number,
    authorId: string,
  ): Promise<{ recipients: number; delivered: number; seenBy: UserRef[] }>;
}

export interface EventsRepository {
  insert(event: RoomEvent): Promise<void>;
  /** Stores several events with a few multi-row statements (a batch of messages). */
  insertMany(events: RoomEvent[]): Promise<void>;
  listAfter(roomId: string, afterSeq: number, limit: number): Promise<RoomEvent[]>;
  /** The same, as stored JSON: catch-up sends it without parsing it again. */
  listAfterAsStored(
    roomId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ seq: number; json: string }[]>;
  /** Blanks a deleted message's text and attachment in the events that carried it. */
  redactMessage(messageId: string): Promise<void>;
}

export interface MessagesRepository {
  /** Stores a message; returns it as clients see it, built from what was written (no read back). */
  insert(
    message: MessageRecord,
    author: UserRef & { avatarVersion?: string | null },
    file: FileRecord | undefined,
  ): Promise<Message>;
  /** Stores messages without files with a few multi-row statements; returns them like `insert`. */
  insertMany(
    messages: { message: MessageRecord; author: UserRef & { avatarVersion?: string | null } }[],
  ): Promise<Message[]>;
  find(id: string): Promise<Message | undefined>;
  findRecord(id: string): Promise<MessageRecord | undefined>;
  /** A page in ascending seq: the newest `limit` below `before`, or the oldest above `after`. */
  page(
    roomId: string,
    cursor: { before?: number; after?: number },
    limit: number,
  ): Promise<{ messages: Message[]; hasMore: boolean }>;
  updateText(id: string, text: string, editedAt: string): Promise<void>;
  markDeleted(id: string, deletedAt: string): Promise<void>;
  /** Counts a new reply on its thread's root (its summary and stored view). */
  recordReply(rootId: string, author: UserRef, at: string): Promise<void>;
  /** A thread's replies in ascending seq, the oldest `limit` above `after`. */
  threadReplies(
    rootId: string,
    after: number,
    limit: number,
  ): Promise<{ replies: Message[]; hasMore: boolean }>;
}

/** Emoji reactions: one per (message, user, emoji). */
export interface ReactionsRepository {
  /**
   * The message a reaction is about, locked until the transaction ends (on engines with row
   * locks; SQLite's write transaction already holds everything): reactions to one message, its
   * edit and its deletion then happen one after the other, so the deleted check and the cap on
   * distinct emoji hold under concurrency. Undefined when there is no such message.
   */
  lockMessage(messageId: string): Promise<{ roomId: string; deleted: boolean } | undefined>;
  /**
   * Adds a reaction; false when this user already reacted with this emoji. The unique key
   * decides: of concurrent identical adds (on any instance) exactly one gets true.
   */
  add(reaction: ReactionRecord): Promise<boolean>;
  /** Removes a reaction; false when there was none. */
  remove(messageId: string, userId: string, emoji: string): Promise<boolean>;
  /** How many distinct emoji the message carries. */
  distinctEmojiOf(messageId: string): Promise<number>;
  /**
   * The reactions of these messages (a history page), by message id: each emoji with its count
   * and users, emoji in the order they were first used and users in the order they reacted.
   * Messages without reactions are absent.
   */
  ofMessages(messageIds: string[]): Promise<Map<string, Reaction[]>>;
  /** Drops every reaction of a message (it was deleted). */
  deleteOfMessage(messageId: string): Promise<void>;
}

export interface FilesRepository {
  insert(file: FileRecord): Promise<void>;
  find(id: string): Promise<FileRecord | undefined>;
  delete(id: string): Promise<void>;
  /** Whether a file (original or thumbnail) or an unfinished or failed job still names this blob. */
  isBlobInUse(blobKey: string): Promise<boolean>;
}

export type JobInsertResult = { inserted: true } | { inserted: false; existing: JobRecord };

export interface JobsRepository {
  /** Inserts a job; when (user, idempotency key) exists, returns that job instead. */
  insert(job: JobRecord): Promise<JobInsertResult>;
  find(id: string): Promise<JobRecord | undefined>;
  findByIdempotencyKey(userId: string, key: string): Promise<JobRecord | undefined>;
  /**
   * Takes the next due job under a lease: a queued one of `queuedTypes` whose time has come, or
   * any processing one whose lease expired (its worker died). Of concurrent callers (in this
   * process or another instance) each gets a different job, its attempt counted once.
   */
  claimNext(now: string, leaseUntil: string, queuedTypes: JobType[]): Promise<JobRecord | undefined>;
  /**
   * Takes up to `limit` due queued jobs of a type under a lease, counting each one's attempt, in
   * one statement: of concurrent callers each gets different jobs. They come back sorted by room
   * (and by due time within a room): running them in that order takes the rooms' seqs in one
   * global order, so two batches running at once cannot deadlock on each other's rooms.
   */
  claimDueBatch(type: JobType, now: string, limit: number, leaseUntil: string): Promise<JobRecord[]>;
  /** Each job's status and attempt number by id (is it still held by the caller's attempt?). */
  attemptsOf(ids: string[]): Promise<Map<string, { status: JobStatus; attempts: number }>>;
  /**
   * Marks a job completed with its message while the caller's claim (its attempt number) still
   * holds it; returns the job as it is now, or undefined when the claim was lost (the lease ran
   * out and another worker took the job): the caller must then roll its transaction back.
   */
  complete(
    claim: { id: string; attempts: number },
    result: { messageId: string; seq: number },
    now: string,
  ): Promise<JobRecord | undefined>;
  /**
   * `complete` for many jobs with a few statements: returns them as they are now, in the order
   * given, or undefined when any claim was lost (then some may have been changed: the caller
   * must roll its transaction back, as after `complete`).
   */
  completeMany(
    completions: { id: string; attempts: number; messageId: string; seq: number }[],
    now: string,
  ): Promise<JobRecord[] | undefined>;
  /** Retry and fail apply only while the caller's claim (its attempt number) still holds the job. */
  scheduleRetry(
    claim: { id: string; attempts: number },
    runAt: string,
    error: { code: string; message: string },
    now: string,
  ): Promise<void>;
  fail(
    claim: { id: string; attempts: number },
    error: { code: string; message: string },
    now: string,
  ): Promise<void>;
  /** Failed jobs, the latest failure first (the dead letter queue). */
  listFailed(limit: number): Promise<JobRecord[]>;
  /** Puts a failed job back in the queue with its attempts reset; false when it is not failed. */
  requeueFailed(id: string, now: string): Promise<boolean>;
  /**
   * Hands jobs this process holds back to the queue (clean shutdown, a failed batch). Each is
   * released only while the caller's claim on it (its attempt) still holds: a job whose lease ran
   * out and that another instance claimed since is left alone.
   */
  release(claims: JobClaim[], now: string): Promise<void>;
  /**
   * Ends the leases of every processing job, whoever holds them. Only for the embedded mode at
   * start, when this process is the database's only user: what was processing was held by its
   * own previous run. They are claimed again one by one, each try counted, so a job that kills
   * the process every time it runs ends in the dead letter queue instead of taking the others
   * down with it. Instances sharing a database must not call it (it would take over the others'
   * running jobs): `claimNext` already takes over exactly the jobs whose lease has run out.
   */
  expireLeases(now: string): Promise<void>;
  /** Forgets idempotency keys older than the cutoff so they can be used again. */
  forgetKeysBefore(cutoff: string): Promise<void>;
  /**
   * Deletes up to `limit` completed jobs that completed before the cutoff; returns how many.
   * Only completed jobs: a queued or processing one is still to run.
   */
  deleteCompletedBefore(cutoff: string, limit: number): Promise<number>;
  /**
   * Deletes up to `limit` failed jobs (the dead letter queue) that failed before the cutoff;
   * returns how many. Their uploads (`blob_key`) are then named by nothing and the orphan-blob
   * sweep removes them.
   */
  deleteFailedBefore(cutoff: string, limit: number): Promise<number>;
}

/**
 * Named duties that one instance of a cluster does at a time (sweeping sessions and tickets,
 * orphaned blobs, housekeeping), each held under a lease that its holder renews.
 */
export interface DutiesRepository {
  /**
   * Takes or renews the duty's lease until `until`: true when the caller now holds it (nobody
   * did, the caller already did, or the holder's lease ran out by `now`), false when another
   * holder's lease still runs. Of concurrent callers at most one gets true.
   */
  tryAcquire(name: string, holderId: string, now: string, until: string): Promise<boolean>;
  /** Gives the duty up (clean shutdown), so another instance can take it at once. */
  release(name: string, holderId: string): Promise<void>;
}

/** Where in the audit log a page ends: older than this event, or than this time. */
export type AuditCursor = { id: string } | { at: string };

/** The audit log of security and admin events: appended to, read by instance admins. */
export interface AuditRepository {
  /** Call it in the transaction of the change it records, so a rollback leaves no entry. */
  append(event: AuditRecord): Promise<void>;
  /**
   * The newest `limit` events older than `before` (all when absent), newest first (by time,
   * then id); an unknown event id gives none.
   */
  list(query: { before?: AuditCursor; limit: number }): Promise<AuditRecord[]>;
}

export interface Repositories {
  users: UsersRepository;
  sessions: SessionsRepository;
  tickets: TicketsRepository;
  rooms: RoomsRepository;
  memberships: MembershipsRepository;
  events: EventsRepository;
  messages: MessagesRepository;
  reactions: ReactionsRepository;
  files: FilesRepository;
  jobs: JobsRepository;
  duties: DutiesRepository;
  audit: AuditRepository;
  search: MessageSearchRepository;
  mentions: MentionsRepository;
  push: PushRepository;
}

export interface Database extends Repositories {
  /** Runs fn in one transaction: every write inside commits together or not at all. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Whether a failed transaction lost a race with another one (a deadlock, a serialization
   * failure) and was rolled back whole: running it again is safe and will most likely succeed.
   */
  isTransientConflict(error: unknown): boolean;
  /** Resolves when the database answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
