import type { Room } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatStore } from '../state/ChatStore';
import { created, me, meRef, ROOM, sam } from '../test/fixtures';
import { type ChatApi, ChatContext } from './ChatContext';
import { DesktopNotifier } from './DesktopNotifier';
import { PresenceTracker } from './PresenceTracker';

const ada = { id: 'u-ada', username: 'ada', displayName: 'Ada' };
const bo = { id: 'u-bo', username: 'bo', displayName: 'Bo' };

function setup() {
  const store = new ChatStore(me);
  const ctx = new ChatContext({} as ChatApi, store);
  return { store, ctx, tracker: new PresenceTracker(ctx, { typingShownMs: 5000 }) };
}

describe('PresenceTracker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows a typist until 5 s after their last frame, and repeated frames keep them', () => {
    const { store, tracker } = setup();
    tracker.handleFrame({ type: 'typing', roomId: ROOM, user: ada });
    tracker.handleFrame({ type: 'typing', roomId: ROOM, user: bo });
    expect(store.getState().typing[ROOM]).toEqual([ada, bo]);
    vi.advanceTimersByTime(3000);
    tracker.handleFrame({ type: 'typing', roomId: ROOM, user: ada });
    vi.advanceTimersByTime(2500);
    expect(store.getState().typing[ROOM]).toEqual([ada]);
    vi.advanceTimersByTime(2500);
    expect(store.getState().typing[ROOM]).toBeUndefined();
  });

  it('ends a typist when their message arrives or they go offline; ignores one’s own other tabs', () => {
    const { store, tracker } = setup();
    tracker.handleFrame({ type: 'typing', roomId: ROOM, user: sam });
    tracker.handleFrame({ type: 'typing', roomId: ROOM, user: ada });
    tracker.handleFrame({ type: 'typing', roomId: ROOM, user: meRef });
    tracker.noteEvent(created(3)); // by sam
    expect(store.getState().typing[ROOM]).toEqual([ada]);
    tracker.handleFrame({ type: 'presence', userId: ada.id, status: 'offline' });
    expect(store.getState().typing[ROOM]).toBeUndefined();
    expect(store.getState().presence).toEqual({ [ada.id]: 'offline' });
  });

  it('forgets presence and typing on reset (a new socket: frames were missed)', () => {
    const { store, tracker } = setup();
    tracker.handleFrame({ type: 'presence', userId: ada.id, status: 'online' });
    tracker.handleFrame({ type: 'typing', roomId: ROOM, user: ada });
    tracker.reset();
    expect(store.getState().presence).toEqual({});
    expect(store.getState().typing).toEqual({});
  });
});

describe('DesktopNotifier', () => {
  const now = Date.parse('2025-01-01T12:00:10.000Z');
  const room = (overrides: Partial<Room>): Room => ({
    id: ROOM,
    slug: 'general',
    name: 'general',
    topic: '',
    visibility: 'public',
    lastSeq: 2,
    membership: 'member',
    ...overrides,
  });

  function notifierFor(rooms: Room[], canShow = true) {
    const store = new ChatStore(me);
    store.update((state) => ({ ...state, rooms }));
    const shown: { title: string; body: string; onClick: () => void }[] = [];
    const opened: string[] = [];
    const notifier = new DesktopNotifier(
      new ChatContext({} as ChatApi, store),
      { canShow: () => canShow, show: (notification) => shown.push(notification) },
      (roomId) => opened.push(roomId),
      () => now,
    );
    return { notifier, shown, opened };
  }

  it('in a channel (mentions by default) notifies only mentions of me, @room and @here, as plain text', () => {
    const { notifier, shown, opened } = notifierFor([room({})]);
    notifier.noteEvent(created(3, { text: 'just chatting' }));
    notifier.noteEvent(created(4, { text: '**hey** @maya look at `this`' }));
    notifier.noteEvent(created(5, { text: 'ping @here' }));
    notifier.noteEvent(created(5, { text: 'ping @here' })); // the same event replayed
    notifier.noteEvent(created(6, { text: '`@maya` in code' }));
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Sam Okafor in #general', body: 'hey @maya look at this' },
      { title: 'Sam Okafor in #general', body: 'ping @here' },
    ]);
    shown[0]?.onClick();
    expect(opened).toEqual([ROOM]);
  });

  it('notifies every message in a DM, none when muted, none of one’s own, none while the tab is in view', () => {
    const dm = notifierFor([room({ visibility: 'dm', name: 'Maya Chen, Sam Okafor' })]);
    dm.notifier.noteEvent(created(3, { text: 'hello' }));
    expect(dm.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Sam Okafor', body: 'hello' },
    ]);

    const muted = notifierFor([room({ notifyLevel: 'mute' })]);
    muted.notifier.noteEvent(created(3, { text: '@maya @room' }));
    expect(muted.shown).toEqual([]);

    const own = notifierFor([room({ notifyLevel: 'all' })]);
    own.notifier.noteEvent(created(3, { text: 'mine', author: meRef }));
    expect(own.shown).toEqual([]);

    const visible = notifierFor([room({ notifyLevel: 'all' })], false);
    visible.notifier.noteEvent(created(3, { text: 'seen anyway' }));
    expect(visible.shown).toEqual([]);
  });
});
