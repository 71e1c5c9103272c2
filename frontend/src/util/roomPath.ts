/**
 * Paths of the app's pages: deep links to rooms (`/r/<slug>`, answered by the server with
 * index.html) and the admins' pages (failed jobs, audit log).
 */

// A permalink (`/r/<slug>/m/<id>`, util/permalinkPath.ts) names its room too.
const ROOM_PATH = /^\/r\/([^/]+)(?:\/m\/[^/]+)?\/?$/;

/** The room slug a path names, if it is a room link or a message's permalink. */
export function roomSlugFromPath(pathname: string): string | undefined {
  const match = ROOM_PATH.exec(pathname);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]).toLowerCase();
  } catch {
    return undefined;
  }
}

export function roomPath(slug: string): string {
  return `/r/${encodeURIComponent(slug)}`;
}

/** An instance admins' page: failed jobs or the audit log. */
export type AdminView = 'deadLetters' | 'auditLog';

/** The instance admins' page of failed jobs (the dead letter queue). */
// Not /admin/dlq: that is the API's path, and a reload there would get JSON instead of the app.
export const DEAD_LETTERS_PATH = '/admin/failed-jobs';

export function isDeadLettersPath(pathname: string): boolean {
  return pathname.replace(/\/+$/, '') === DEAD_LETTERS_PATH;
}

/** The instance admins' audit log page. Not /admin/audit, the API's path, for the same reason. */
export const AUDIT_LOG_PATH = '/admin/audit-log';

export function isAuditLogPath(pathname: string): boolean {
  return pathname.replace(/\/+$/, '') === AUDIT_LOG_PATH;
}
