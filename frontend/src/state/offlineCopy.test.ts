import type { Room } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { me, message } from '../test/fixtures';
import { ChatStore } from './ChatStore';
import {
  isOfflineCopy,
  KEPT_MESSAGES,
  KEPT_ROOMS,
  MAX_COPY_CHARS,
  restoreOfflineCopy,
  toOfflineCopy,
} from './offlineCopy';
import { emptyTimeline, withLatestPage } from './timeline';

const room = (id: string, membership: Room['membership'] = 'member'): Room => ({
  id,
  slug: id,
  name: id,
  topic: '',
  visibility: 'public',
  lastSeq: 100,
  membership,
});

function stateWith(roomIds: string[], textLength = 10) {
  const store = new ChatStore(me);
  store.update((state) => ({
    ...state,
    rooms: [...roomIds.map((id) => room(id)), room('not-joined', null)],
    roomsLoaded: true,
    activeRoomId: roomIds[0] ?? null,
  }));
  for (const id of roomIds) {
    const page = Array.from({ length: 100 }, (_, i) =>
      message(i + 1, { roomId: id, text: 'x'.repeat(textLength) }),
    );
    store.updateTimeline(id, () => withLatestPage(emptyTimeline(id), page, false));
  }
  return store.getState();
}

describe('the offline copy', () => {
  it('keeps the joined rooms and the newest messages of the rooms opened last', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const copy = toOfflineCopy(stateWith(ids), ids);
    expect(copy.rooms.map((r) => r.id)).toEqual(ids);
    expect(copy.timelines.map((t) => t.roomId)).toEqual(ids.slice(0, KEPT_ROOMS));
    expect(copy.timelines[0]?.messages).toHaveLength(KEPT_MESSAGES);
    expect(copy.timelines[0]?.messages.at(-1)?.seq).toBe(100);
    // Cut: older history is on the server.
    expect(copy.timelines[0]?.hasMore).toBe(true);
    expect(copy.timelines[0]?.cursor).toBe(100);
    expect(isOfflineCopy(JSON.parse(JSON.stringify(copy)))).toBe(true);
  });

  it('stays under its size bound by dropping the least recent rooms first', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const copy = toOfflineCopy(stateWith(ids, 8000), ids);
    expect(JSON.stringify(copy).length).toBeLessThanOrEqual(MAX_COPY_CHARS);
    expect(copy.timelines.length).toBeGreaterThan(0);
    expect(copy.timelines.length).toBeLessThan(ids.length);
    expect(copy.timelines[0]?.roomId).toBe('a');
  });

  it('is drawn as loaded timelines, marked as the device’s copy', () => {
    const ids = ['a', 'b'];
    const copy = toOfflineCopy(stateWith(ids), ['b', 'a']);
    const restored = restoreOfflineCopy(new ChatStore(me).getState(), copy);
    expect(restored.activeRoomId).toBe('a');
    expect(restored.timelines.b?.loaded).toBe(true);
    expect(restored.fromOfflineCopy).toBe(copy.savedAt);
    expect(isOfflineCopy({ ...copy, version: 2 })).toBe(false);
  });
});
