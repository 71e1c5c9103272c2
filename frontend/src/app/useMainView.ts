import { useEffect, useState } from 'react';
import { permalinkFromPath } from '../util/permalinkPath';
import {
  type AdminView,
  AUDIT_LOG_PATH,
  DEAD_LETTERS_PATH,
  isAuditLogPath,
  isDeadLettersPath,
  roomPath,
} from '../util/roomPath';

/** What the main pane shows: the open room, or one of the admins' pages. */
export type MainView = 'room' | AdminView;

const ADMIN_PATHS: Record<AdminView, { path: string; matches: (pathname: string) => boolean }> = {
  deadLetters: { path: DEAD_LETTERS_PATH, matches: isDeadLettersPath },
  auditLog: { path: AUDIT_LOG_PATH, matches: isAuditLogPath },
};

const viewOfPath = (): MainView => {
  const pathname = window.location.pathname;
  if (isDeadLettersPath(pathname)) return 'deadLetters';
  if (isAuditLogPath(pathname)) return 'auditLog';
  return 'room';
};

/** The main pane's view, in step with the address bar and the browser's back and forward. */
export function useMainView(openRoomSlug: string | undefined) {
  const [view, setView] = useState<MainView>(viewOfPath);

  // The address bar names the open room, so that it can be shared or reloaded (`/r/<slug>`).
  useEffect(() => {
    if (!openRoomSlug || view !== 'room') return;
    const path = roomPath(openRoomSlug);
    // A permalink into the open room stays in the address bar, to be shared or reloaded.
    if (permalinkFromPath(window.location.pathname)?.slug === openRoomSlug) return;
    if (window.location.pathname !== path) window.history.replaceState(null, '', path);
  }, [openRoomSlug, view]);

  // Back and forward between a room and the admins' pages.
  useEffect(() => {
    const onPop = () => setView(viewOfPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const showRoom = () => setView('room');
  const showAdminPage = (page: AdminView) => {
    const { path, matches } = ADMIN_PATHS[page];
    if (!matches(window.location.pathname)) window.history.pushState(null, '', path);
    setView(page);
  };
  return { view, showRoom, showAdminPage };
}
