/**
 * Finding people by part of their name, for suggestions while typing (adding a member, starting
 * a DM, the quick switcher). Any signed-in user may look people up: usernames are already what
 * one types to add someone or open a DM, so they are not secret on an instance. The answer holds
 * only `{id, username, displayName, avatarUrl}`, and never deactivated accounts.
 */
import { USER_LOOKUP_LIMIT, type UserRef } from '@parley/protocol';
import type { Database } from '../ports/database.js';
import type { UserRecord } from '../ports/records.js';
import { toProfileRef } from './principal.js';

/** Candidates read before ranking: enough that prefix matches are not cut by substring ones. */
const CANDIDATES = 5 * USER_LOOKUP_LIMIT;

export class UserLookup {
  constructor(private readonly db: Database) {}

  /** Up to 20 people, those whose username or display name starts with the text first. */
  async search(text: string): Promise<UserRef[]> {
    const needle = text.trim().toLowerCase();
    const found = await this.db.users.search(needle, CANDIDATES);
    return found
      .map((user) => ({ user, rank: rankOf(user, needle) }))
      .sort((a, b) => a.rank - b.rank || a.user.username.localeCompare(b.user.username))
      .slice(0, USER_LOOKUP_LIMIT)
      .map(({ user }) => toProfileRef(user));
  }
}

/** 0: the username is the text; 1: a name starts with it; 2: it is somewhere inside. */
function rankOf(user: UserRecord, needle: string): number {
  if (user.username === needle) return 0;
  const display = user.displayName.toLowerCase();
  if (user.username.startsWith(needle) || display.startsWith(needle)) return 1;
  return display.split(/\s+/).some((word) => word.startsWith(needle)) ? 1 : 2;
}
