/**
 * Idle expiry. A session ends `idleMs` after its last use, as well as at its absolute expiry.
 * Its last use is recorded in `sessions.last_seen_at`, but only to within `SEEN_RESOLUTION_MS`:
 * a use rewrites it only when the stored time is older than that, so a busy session costs one
 * write an hour rather than one per request (the 5 s principal cache of AccountsService already
 * saves the read; the check of the stored time needs no query, and the write's own condition
 * keeps other instances from repeating it). An idle limit of days does not need a finer clock.
 */
import type { SessionRecord } from '../ports/records.js';

/** `last_seen_at` is rewritten at most this often per session. */
export const SEEN_RESOLUTION_MS = 3_600_000;
/** The default idle limit (`SESSION_IDLE_DAYS`, 14). */
export const DEFAULT_SESSION_IDLE_MS = 14 * 24 * 3_600_000;

/** Sessions last seen at or before this are idle; undefined when there is no idle limit (0). */
export function idleCutoff(nowMs: number, idleMs: number): string | undefined {
  return idleMs > 0 ? new Date(nowMs - idleMs).toISOString() : undefined;
}

/** A stored last-seen time older than this is rewritten on the next use. */
export function staleBefore(nowMs: number): string {
  return new Date(nowMs - SEEN_RESOLUTION_MS).toISOString();
}

/** True when a use at `nowMs` should record itself (never seen, or seen over an hour ago). */
export function isStale(lastSeenAt: string | null | undefined, nowMs: number): boolean {
  return !lastSeenAt || lastSeenAt < staleBefore(nowMs);
}

/** When a session ends unless used again: the earlier of its absolute and its idle expiry. */
export function endsAt(session: Pick<SessionRecord, 'expiresAt' | 'lastSeenAt'>, idleMs: number): string {
  if (idleMs <= 0 || !session.lastSeenAt) return session.expiresAt;
  return new Date(
    Math.min(Date.parse(session.lastSeenAt) + idleMs, Date.parse(session.expiresAt)),
  ).toISOString();
}
