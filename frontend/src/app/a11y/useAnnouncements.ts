import { useEffect, useRef, useState } from 'react';
import type { ChatState } from '../../state/ChatStore';
import { describeConnectionChange, ThrottledAnnouncer } from './announcements';

/** A line for a live region; `id` changes with every announcement, so that a repeat is read again. */
export interface Announcement {
  id: number;
  text: string;
}

function useAnnouncement() {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const say = useRef((text: string) => setAnnouncement((last) => ({ id: (last?.id ?? 0) + 1, text })));
  return [announcement, say.current] as const;
}

/**
 * New messages from others in the open room, throttled to one announcement per `intervalMs`.
 * Only what arrives after the room's history has loaded counts: opening a room, or paging back
 * through it, is not news.
 */
export function useMessageAnnouncements(state: ChatState, intervalMs = 3000): Announcement | null {
  const [announcement, say] = useAnnouncement();
  const announcer = useRef<ThrottledAnnouncer | null>(null);
  const seen = useRef<{ roomId: string; seq: number } | null>(null);

  useEffect(() => {
    const current = new ThrottledAnnouncer(say, intervalMs);
    announcer.current = current;
    return () => current.stop();
  }, [say, intervalMs]);

  const roomId = state.activeRoomId;
  const timeline = roomId ? state.timelines[roomId] : undefined;
  const meId = state.me.id;
  useEffect(() => {
    if (!roomId || !timeline?.loaded) return;
    const newest = timeline.messages[timeline.messages.length - 1]?.seq ?? 0;
    const last = seen.current;
    if (last?.roomId !== roomId) {
      seen.current = { roomId, seq: newest };
      return;
    }
    const fresh = timeline.messages.filter(
      (message) => message.seq > last.seq && message.author.id !== meId && !message.deleted,
    );
    last.seq = Math.max(last.seq, newest);
    announcer.current?.add(fresh);
  }, [roomId, timeline, meId]);

  return announcement;
}

/** The connection's changes once it has been up: "Reconnecting…", "Offline", "Connected". */
export function useConnectionAnnouncement(connection: ChatState['connection']): Announcement | null {
  const [announcement, say] = useAnnouncement();
  const previous = useRef(connection);
  const wasConnected = useRef(false);
  useEffect(() => {
    const text = describeConnectionChange(previous.current, connection, wasConnected.current);
    previous.current = connection;
    if (connection === 'connected') wasConnected.current = true;
    if (text) say(text);
  }, [connection, say]);
  return announcement;
}
