import { defaultNotifyLevel, type Room, type RoomEvent } from '@parley/protocol';
import { plainText } from '../features/notifications/plainText';
import { mentionsUser } from '../features/timeline/mentions';
import { roomLabel } from '../util/roomLabel';
import type { ChatContext } from './ChatContext';

/** What a notification needs from the browser; the Notification API in the app, a fake in tests. */
export interface DesktopNotifications {
  /** Whether notifications may be shown now: permission granted and the tab not in view. */
  canShow(): boolean;
  /** Shows one; `onClick` runs when it is clicked. */
  show(notification: { title: string; body: string; tag: string; onClick: () => void }): void;
}

/** Messages older than this when they arrive are catch-up after a reconnect, not news. */
const FRESH_MS = 2 * 60_000;

/**
 * Desktop notifications for new messages while the tab is hidden, by each room's level: `all`
 * (a DM's default) every message of others, `mentions` (a channel's default) only those that
 * mention the reader or `@room`/`@here`, `mute` none. Each message notifies at most once, even
 * when a replay brings it again.
 */
export class DesktopNotifier {
  /** Per room, the highest seq already considered. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ctx: ChatContext,
    private readonly notifications: DesktopNotifications,
    private readonly openRoom: (roomId: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  noteEvent(event: RoomEvent): void {
    if (event.type !== 'message.created') return;
    if (event.seq <= (this.seen.get(event.roomId) ?? 0)) return;
    this.seen.set(event.roomId, event.seq);
    const state = this.ctx.store.getState();
    const { message } = event.data;
    if (message.author.id === state.me.id) return;
    if (this.now() - Date.parse(event.at) > FRESH_MS) return;
    const room = state.rooms.find((candidate) => candidate.id === event.roomId);
    if (!room || room.membership === null || !wantsNotification(room, message.text, state.me.username))
      return;
    if (!this.notifications.canShow()) return;
    const where =
      room.visibility === 'dm' ? roomLabel(room, state.me, state.members[room.id]) : `#${room.name}`;
    this.notifications.show({
      title:
        room.visibility === 'dm' ? message.author.displayName : `${message.author.displayName} in ${where}`,
      body: message.text
        ? plainText(message.text)
        : message.attachment
          ? `Sent ${message.attachment.fileName}`
          : '',
      tag: `${room.id}:${message.id}`,
      onClick: () => this.openRoom(room.id),
    });
  }
}

/** Whether a message of someone else in `room` is worth interrupting the reader for. */
export function wantsNotification(room: Room, text: string, myUsername: string): boolean {
  const level = room.notifyLevel ?? defaultNotifyLevel(room.visibility);
  if (level === 'mute') return false;
  if (level === 'all') return true;
  return mentionsUser(text, myUsername);
}

/** The browser's Notification API: shown only with permission and while the tab is hidden. */
export const browserNotifications: DesktopNotifications = {
  canShow: () =>
    typeof Notification !== 'undefined' &&
    Notification.permission === 'granted' &&
    document.visibilityState === 'hidden',
  show: ({ title, body, tag, onClick }) => {
    const notification = new Notification(title, { body, tag });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  },
};
