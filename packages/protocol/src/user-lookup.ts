/**
 * `GET /users?q=`: people found by part of their username or display name, for suggestions
 * while typing (adding a member, starting a DM, the quick switcher). Answers only `UserRef`s:
 * nothing about roles, rooms or accounts beyond what every message already shows.
 */
import { z } from 'zod';
import type { UserRef } from './models.js';

/** The most people one lookup answers. */
export const USER_LOOKUP_LIMIT = 20;
/** The longest query: no username or display name is longer. */
export const USER_LOOKUP_QUERY_MAX = 64;

export const usersQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(USER_LOOKUP_QUERY_MAX, `must be at most ${USER_LOOKUP_QUERY_MAX} characters`),
});
export type UsersQuery = z.infer<typeof usersQuery>;

export interface UsersAnswer {
  users: UserRef[];
}
