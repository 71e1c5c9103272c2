/**
 * One's own profile: the display name (`PATCH /me`) and the avatar (`PUT`/`DELETE /me/avatar`).
 * Everyone who shares a room with the user learns of a change from a `user.updated` frame
 * (frames.ts); pages of history always show authors as they are now (docs/api/profiles.md).
 */
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { codePoints } from './schemas.js';

/**
 * Control characters (C0, DEL, C1): invisible, or able to break a line where a name is shown.
 * U+0000 is left to `codePoints`, which refuses it with its own message.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0001-\u001f\u007f-\u009f]/;

export const displayNameSchema = codePoints(1, LIMITS.displayNameMax, { trim: true }).refine(
  (value) => !CONTROL.test(value),
  'must not contain control characters',
);

export const updateProfileBody = z.object({ displayName: displayNameSchema });
export type UpdateProfileBody = z.infer<typeof updateProfileBody>;

export const AVATAR = {
  /** The largest image `PUT /me/avatar` takes (5 MB); 413 above. */
  maxBytes: 5 * 1024 * 1024,
  /** What it takes, sniffed from the bytes (not the declared type); 415 otherwise. */
  contentTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'],
  /** The square edge of `avatarUrl`'s image, and of its `?size=small` variant. */
  edge: 256,
  smallEdge: 64,
} as const;

/** Where a user's avatar is served: the version in the path, so each picture has its own URL. */
export const avatarUrlOf = (userId: string, version: string | null | undefined): string | null =>
  version ? `/users/${userId}/avatar/${version}` : null;

/** The 64 × 64 variant of an avatar, for lists and beside messages. */
export const smallAvatarUrl = (avatarUrl: string): string => `${avatarUrl}?size=small`;
