import { useEffect, useRef, useState } from 'react';

/**
 * The composer's focus requests: one each time another room opens, and one for the first room
 * only when `focusFirstRoom` (one has just signed in; a page that loads signed in leaves focus
 * at the top of the page, where Tab reaches the skip links first).
 */
export function useComposerFocusRequest(roomId: string | null, focusFirstRoom: boolean): number {
  const [request, setRequest] = useState(0);
  const firstRoomSeen = useRef(false);
  const focusFirst = useRef(focusFirstRoom);
  useEffect(() => {
    if (!roomId) return;
    if (!firstRoomSeen.current) {
      firstRoomSeen.current = true;
      if (!focusFirst.current) return;
    }
    setRequest((count) => count + 1);
  }, [roomId]);
  return request;
}
