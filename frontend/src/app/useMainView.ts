import { useEffect, useState } from 'react';
import { DEAD_LETTERS_PATH, isDeadLettersPath, roomPath } from '../util/roomPath';

/** What the main pane shows: the open room, or the admins' failed jobs page (`/admin/failed-jobs`). */
export type MainView = 'room' | 'deadLetters';

const viewOfPath = (): MainView => (isDeadLettersPath(window.location.pathname) ? 'deadLetters' : 'room');

/** The main pane's view, in step with the address bar and the browser's back and forward. */
export function useMainView(openRoomSlug: string | undefined) {
  const [view, setView] = useState<MainView>(viewOfPath);

  // The address bar names the open room, so that it can be shared or reloaded (`/r/<slug>`).
  useEffect(() => {
    if (!openRoomSlug || view !== 'room') return;
    const path = roomPath(openRoomSlug);
    if (window.location.pathname !== path) window.history.replaceState(null, '', path);
  }, [openRoomSlug, view]);

  // Back and forward between a room and the failed jobs page.
  useEffect(() => {
    const onPop = () => setView(viewOfPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const showRoom = () => setView('room');
  const showDeadLetters = () => {
    if (!isDeadLettersPath(window.location.pathname)) window.history.pushState(null, '', DEAD_LETTERS_PATH);
    setView('deadLetters');
  };
  return { view, showRoom, showDeadLetters };
}
