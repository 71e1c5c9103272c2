import { avatarUrlOf, type User, type UserRef } from '@parley/protocol';
import type { UserRecord } from '../ports/records.js';

/** Who is calling: the user and the session its credentials belong to. */
export interface Principal {
  user: User;
  sessionId: string;
  /** When the session stops being valid; live sockets are closed then (4001). */
  sessionExpiresAt: string;
}

export const toUser = (record: UserRecord): User => ({
  id: record.id,
  username: record.username,
  displayName: record.displayName,
  role: record.role,
  avatarUrl: avatarUrlOf(record.id, record.avatarVersion),
});

/** A user as others see it (a User or a stored record is one, with more fields). */
export const toUserRef = (user: UserRef): UserRef => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
});

/** A user as shown beside what they did, with their picture (authors, members, lookups). */
export const toProfileRef = (record: UserRecord): UserRef => ({
  ...toUserRef(record),
  avatarUrl: avatarUrlOf(record.id, record.avatarVersion),
});
