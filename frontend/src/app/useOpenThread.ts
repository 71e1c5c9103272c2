import type { Message } from '@parley/protocol';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { COMPOSER_INPUT_ID } from '../features/composer/Composer';
import { unreadReplies, useThreadReadMarks } from '../features/threads/useThreadReadMarks';
import type { ChatState } from '../state/ChatStore';
import { threadRootOf } from '../state/threads';
import type { ActiveRoom } from './useActiveRoom';
import type { MainView } from './useMainView';

/**
 * Which thread is open beside the room (one at a time, closed on leaving the room), and the
 * read marks that count unread replies on the roots.
 */
export function useOpenThread(state: ChatState, active: ActiveRoom, view: MainView) {
  const [thread, setThread] = useState<{ roomId: string; rootId: string } | null>(null);
  const { marks, markSeen } = useThreadReadMarks(state.me.id);
  const openThread = useCallback(
    (message: Message) => setThread({ roomId: message.roomId, rootId: threadRootOf(message) }),
    [],
  );
  const closeThread = useCallback(() => {
    setThread(null);
    // Back to where one writes in the room, rather than to the top of the page.
    requestAnimationFrame(() => document.getElementById(COMPOSER_INPUT_ID)?.focus());
  }, []);
  const open = view === 'room' && thread !== null && thread.roomId === active.roomId ? thread : null;
  useEffect(() => {
    if (thread && thread.roomId !== active.roomId) setThread(null);
  }, [thread, active.roomId]);
  const messages = active.timeline?.messages;
  const unread = useMemo(() => unreadReplies(messages ?? [], marks), [messages, marks]);
  return { open, openThread, closeThread, markSeen, unreadReplies: unread };
}
