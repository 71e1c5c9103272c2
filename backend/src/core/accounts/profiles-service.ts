/**
 * One's own profile: display name and avatar.
 *
 * A change is not a room event: a user in 1,000 rooms would otherwise append 1,000 events (and
 * wake every member's unread state) for one rename. Instead, after the commit, one
 * `profile-changed` fan-out message names the user's rooms, and each instance sends one
 * `user.updated` frame to each local socket in any of them (and to the user's own). A client
 * that missed it (offline, or the message was lost between instances) is still right after its
 * next page load: pages show authors as they are now (with-current-authors.ts), members lists
 * and lookups read the users table. Avatars are stored through the blob store (local disk or
 * S3) under a new version each time, which is also in their URL, so each URL's bytes never
 * change and may be cached for good; the replaced images are deleted after the commit.
 */
import { AVATAR, type User } from '@parley/protocol';
import { AppError, invalidField, notFound, rateLimited } from '../errors.js';
import { newId } from '../ids.js';
import type { AvatarImager } from '../ports/avatar-imager.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/database.js';
import type { MediaInspector } from '../ports/media-inspector.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { Transaction, UnitOfWork } from '../unit-of-work.js';
import { type Principal, toProfileRef, toUser } from './principal.js';

export type AvatarSize = 'large' | 'small';

/** Where an avatar version's image of one size is kept in the blob store. */
export const avatarKey = (userId: string, version: string, size: AvatarSize): string =>
  `avatars/${userId}/${version}-${size === 'large' ? AVATAR.edge : AVATAR.smallEdge}.webp`;

/** The bytes of one avatar image. */
export interface AvatarImage {
  body: import('node:stream').Readable;
}

export class ProfilesService {
  constructor(
    private readonly db: Database,
    private readonly work: UnitOfWork,
    private readonly blobs: BlobStore,
    private readonly media: Pick<MediaInspector, 'sniff'>,
    private readonly imager: AvatarImager,
    /** Per user: each change is announced to all who share a room, and an avatar is resized. */
    private readonly changes: RateLimiter,
  ) {}

  /** Sets the caller's display name (already validated: trimmed, 1–64, no control characters). */
  async rename(principal: Principal, displayName: string): Promise<User> {
    await this.takeChange(principal);
    return this.work.run(async (tx) => {
      await tx.users.setDisplayName(principal.user.id, displayName);
      return this.announce(tx, principal.user.id);
    });
  }

  /**
   * Makes the image the caller's avatar: its type is sniffed from the bytes (PNG, JPEG, WebP or
   * GIF, else 415), it must decode (else 400), and it is stored as 256 and 64 pixel squares.
   */
  async setAvatar(principal: Principal, bytes: Buffer): Promise<User> {
    if (bytes.length === 0) throw invalidField('avatar', 'must not be empty');
    // Before the image is decoded: that is the work the limit is there to bound.
    await this.takeChange(principal);
    const type = await this.media.sniff(bytes.subarray(0, 4100));
    if (!type || !(AVATAR.contentTypes as readonly string[]).includes(type)) {
      throw new AppError('unsupported_media_type', 'An avatar must be a PNG, JPEG, WebP or GIF image.', {
        fields: [{ path: 'avatar', message: 'must be a PNG, JPEG, WebP or GIF image' }],
        ...(type ? { detected: type } : {}),
      });
    }
    const images = await this.imager.square(bytes, AVATAR);
    if (!images) throw invalidField('avatar', 'could not be read as an image');
    const userId = principal.user.id;
    const version = newId();
    await this.blobs.put(avatarKey(userId, version, 'large'), images.large);
    await this.blobs.put(avatarKey(userId, version, 'small'), images.small);
    try {
      return await this.replaceVersion(userId, version);
    } catch (error) {
      await this.deleteImages(userId, version);
      throw error;
    }
  }

  /** Removes the caller's avatar (nothing to do when there is none). */
  async removeAvatar(principal: Principal): Promise<User> {
    await this.takeChange(principal);
    return this.replaceVersion(principal.user.id, null);
  }

  /**
   * One avatar image, for any signed-in caller (avatars are shown to everyone who can see the
   * person's name; see docs/api/profiles.md). 404 unless `version` is the user's current one,
   * so a replaced picture stops being served.
   */
  async openAvatar(userId: string, version: string, size: AvatarSize): Promise<AvatarImage> {
    const user = await this.db.users.findById(userId);
    if (!user || user.deactivatedAt || !user.avatarVersion || user.avatarVersion !== version) {
      throw notFound('No such avatar.');
    }
    const body = await this.blobs.get(avatarKey(userId, version, size));
    if (!body) throw notFound('No such avatar.');
    return { body };
  }

  private async takeChange(principal: Principal): Promise<void> {
    const verdict = await this.changes.consume(principal.user.id);
    if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds);
  }

  private async replaceVersion(userId: string, version: string | null): Promise<User> {
    let replaced: string | null = null;
    const user = await this.work.run(async (tx) => {
      replaced = await tx.users.setAvatarVersion(userId, version);
      return this.announce(tx, userId);
    });
    if (replaced && replaced !== version) await this.deleteImages(userId, replaced);
    return user;
  }

  /** The user as now stored; after the commit, everyone who shares a room with them hears of it. */
  private async announce(tx: Transaction, userId: string): Promise<User> {
    const record = await tx.users.findById(userId);
    if (!record) throw notFound('No such user.');
    const roomIds = (await tx.memberships.roomCursorsOf(userId)).map((cursor) => cursor.roomId);
    tx.publishAfterCommit({ kind: 'profile-changed', user: toProfileRef(record), roomIds });
    return toUser(record);
  }

  /** Best effort: an image left behind is only bytes nothing names. */
  private async deleteImages(userId: string, version: string): Promise<void> {
    for (const size of ['large', 'small'] as const) {
      await this.blobs.delete(avatarKey(userId, version, size)).catch(() => {});
    }
  }
}
