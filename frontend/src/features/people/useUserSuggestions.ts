import type { UserRef } from '@parley/protocol';
import { useEffect, useState } from 'react';

/** Looks people up by part of their name (GET /users?q=). */
export type SearchUsers = (text: string, signal?: AbortSignal) => Promise<UserRef[]>;

/** Wait after the last key before asking the server, in ms. */
const DEBOUNCE_MS = 150;

/**
 * People whose name contains what is being typed, for suggestions: asked once typing pauses,
 * an older answer never replacing a newer one (the request for an outdated query is aborted).
 * Failures show no suggestions (typing a username by hand still works).
 */
export function useUserSuggestions(search: SearchUsers | undefined, typed: string): UserRef[] {
  const [found, setFound] = useState<{ text: string; users: UserRef[] }>({ text: '', users: [] });
  const text = typed.trim().replace(/^@/, '');

  useEffect(() => {
    if (!search || text === '') return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      search(text, controller.signal).then(
        (users) => setFound({ text, users }),
        () => undefined,
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [search, text]);

  // The last answer stays while the next is on its way: the list does not flicker as one types.
  return text === '' ? [] : found.users;
}
