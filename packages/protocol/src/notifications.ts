/**
 * Per-room notification levels: what in a room may interrupt its member (a desktop
 * notification, the unread badge's emphasis). Stored on the membership; the web app decides
 * what to show from it, the server only keeps it.
 */
import { z } from 'zod';

export const NOTIFY_LEVELS = ['all', 'mentions', 'mute'] as const;
export type NotifyLevel = (typeof NOTIFY_LEVELS)[number];

/**
 * The level of a member who never chose one: every message of a direct message is for them,
 * in a channel only what mentions them (or `@room`/`@here`).
 */
export const defaultNotifyLevel = (visibility: 'public' | 'private' | 'dm'): NotifyLevel =>
  visibility === 'dm' ? 'all' : 'mentions';

/** `PUT /rooms/:roomId/notifications`. */
export const notifyLevelBody = z.object({ level: z.enum(NOTIFY_LEVELS) });
export type NotifyLevelBody = z.infer<typeof notifyLevelBody>;
