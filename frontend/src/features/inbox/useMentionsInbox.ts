import { useCallback, useEffect, useRef, useState } from 'react';
import type { MentionsApi } from './MentionsPanel';

/** The sidebar's Mentions entry: focus goes back to it when the panel closes. */
export const MENTIONS_BUTTON_ID = 'sidebar-mentions';

/**
 * Asks the server this long after the last change, and once more a little later: reading a room
 * zeroes its local count at once, but its `ack` reaches the server about a second after.
 */
const REFRESH_DELAYS_MS = [600, 2500];

/**
 * Whether the Mentions panel is open, and the unread count the sidebar shows. The count is the
 * server's (`unreadCount` of `GET /mentions?limit=1`), asked again, debounced, whenever
 * `changeKey` changes: the caller passes something that moves when messages arrive or rooms are
 * read (the unread counts), so the badge follows without a frame of its own.
 */
export function useMentionsInbox(api: MentionsApi, changeKey: string) {
  const [open, setOpen] = useState(false);
  const [unread, setUnread] = useState(0);
  const latest = useRef(0);

  const refresh = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const { unreadCount } = await api.mentions({ limit: 1 });
      if (ticket === latest.current) setUnread(unreadCount);
    } catch {
      // Offline or signed out: the badge keeps its last count until the next change.
    }
  }, [api]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: changeKey is the trigger itself
  useEffect(() => {
    const timers = REFRESH_DELAYS_MS.map((delay) => setTimeout(() => void refresh(), delay));
    return () => {
      for (const timer of timers) clearTimeout(timer);
    };
  }, [refresh, changeKey, open]);

  const openMentions = useCallback(() => setOpen(true), []);
  const closeMentions = useCallback(() => {
    setOpen(false);
    requestAnimationFrame(() => document.getElementById(MENTIONS_BUTTON_ID)?.focus());
  }, []);
  /** Closed because another panel takes its place: focus stays where that panel puts it. */
  const dismissMentions = useCallback(() => setOpen(false), []);
  return { open, unread, openMentions, closeMentions, dismissMentions, refresh };
}
