import { describe, expect, it } from 'vitest';
import { me, message, ROOM, sam } from '../test/fixtures';
import { ChatStore } from './ChatStore';
import { applyProfile } from './people';
import { emptyTimeline } from './timeline';

describe('applyProfile', () => {
  it('renames and pictures a person in loaded messages, thread summaries, members and typing', () => {
    const store = new ChatStore(me);
    const byMe = message(1, { author: { id: me.id, username: me.username, displayName: me.displayName } });
    const bySam = message(2, {
      author: sam,
      thread: { replyCount: 1, lastReplyAt: '2025-01-01T00:00:00.000Z', lastRepliers: [sam] },
    });
    store.update((state) => ({
      ...state,
      timelines: { [ROOM]: { ...emptyTimeline(ROOM), messages: [byMe, bySam], loaded: true } },
      members: {
        [ROOM]: [{ user: { ...sam, role: 'member', avatarUrl: null }, role: 'member', joinedAt: '' }],
      },
      typing: { [ROOM]: [sam] },
    }));
    const before = store.getState();
    const after = applyProfile(before, {
      id: sam.id,
      displayName: 'Sam O.',
      avatarUrl: '/users/u-sam/avatar/v1',
    });

    const [mine, his] = after.timelines[ROOM]?.messages ?? [];
    expect(mine).toBe(byMe); // Untouched messages keep their identity (no re-render).
    expect(his?.author).toMatchObject({ displayName: 'Sam O.', avatarUrl: '/users/u-sam/avatar/v1' });
    expect(his?.thread?.lastRepliers[0]?.displayName).toBe('Sam O.');
    expect(after.members[ROOM]?.[0]?.user).toMatchObject({
      displayName: 'Sam O.',
      avatarUrl: '/users/u-sam/avatar/v1',
    });
    expect(after.typing[ROOM]?.[0]?.displayName).toBe('Sam O.');
    expect(after.me).toBe(before.me);
  });

  it('updates oneself', () => {
    const state = new ChatStore(me).getState();
    expect(applyProfile(state, { id: me.id, displayName: 'Maya', avatarUrl: null }).me).toMatchObject({
      displayName: 'Maya',
      avatarUrl: null,
      username: me.username,
    });
  });
});
