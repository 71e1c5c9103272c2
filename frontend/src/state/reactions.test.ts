import type { RoomEvent, UserRef } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { created, meRef, message, ROOM, sam } from '../test/fixtures';
import { hasReacted, withReaction } from './reactions';
import { applyEvent, emptyTimeline, withLatestPage } from './timeline';

const ada: UserRef = { id: 'u-ada', username: 'ada', displayName: 'Ada' };

function reactionEvent(
  seq: number,
  type: 'reaction.added' | 'reaction.removed',
  user: UserRef,
  emoji = '👍',
): RoomEvent {
  return {
    roomId: ROOM,
    seq,
    type,
    at: '2025-01-01T12:00:00.000Z',
    actor: user,
    data: { messageId: 'm-1', emoji, user },
  };
}

describe('withReaction', () => {
  it('adds people to an emoji in the order they reacted, new emoji last', () => {
    let m = withReaction(message(1), '👍', ada, true);
    m = withReaction(m, '🎉', meRef, true);
    m = withReaction(m, '👍', meRef, true);
    expect(m.reactions).toEqual([
      { emoji: '👍', count: 2, users: [ada, meRef] },
      { emoji: '🎉', count: 1, users: [meRef] },
    ]);
  });

  it('is idempotent: the same reaction twice, or removing one that is not there, changes nothing', () => {
    const once = withReaction(message(1), '👍', ada, true);
    expect(withReaction(once, '👍', ada, true)).toBe(once);
    expect(withReaction(once, '👍', meRef, false)).toBe(once);
  });

  it('drops an emoji nobody reacts with any more, and the field when none is left', () => {
    const both = withReaction(withReaction(message(1), '👍', ada, true), '😂', ada, true);
    const one = withReaction(both, '👍', ada, false);
    expect(one.reactions).toEqual([{ emoji: '😂', count: 1, users: [ada] }]);
    expect('reactions' in withReaction(one, '😂', ada, false)).toBe(false);
    expect(hasReacted(one, '😂', ada.id)).toBe(true);
    expect(hasReacted(one, '👍', ada.id)).toBe(false);
  });
});

describe('reaction events in a timeline', () => {
  it('applies reaction.added and reaction.removed to the loaded message', () => {
    let timeline = applyEvent(emptyTimeline(ROOM), created(1)).timeline;
    timeline = applyEvent(timeline, reactionEvent(2, 'reaction.added', ada)).timeline;
    timeline = applyEvent(timeline, reactionEvent(3, 'reaction.added', sam)).timeline;
    expect(timeline.messages[0]?.reactions).toEqual([{ emoji: '👍', count: 2, users: [ada, sam] }]);
    const removed = applyEvent(timeline, reactionEvent(4, 'reaction.removed', ada));
    expect(removed.outcome).toBe('applied');
    expect(removed.timeline.messages[0]?.reactions).toEqual([{ emoji: '👍', count: 1, users: [sam] }]);
    expect(removed.timeline.cursor).toBe(4);
  });

  it('does not count twice a reaction that a page read after the event already shows', () => {
    const page = [message(1, { reactions: [{ emoji: '👍', count: 1, users: [ada] }] })];
    const timeline = withLatestPage(emptyTimeline(ROOM), page, false, 1);
    const after = applyEvent(timeline, reactionEvent(2, 'reaction.added', ada)).timeline;
    expect(after.messages[0]?.reactions).toEqual([{ emoji: '👍', count: 1, users: [ada] }]);
  });

  it('forgets the reactions of a deleted message', () => {
    let timeline = applyEvent(emptyTimeline(ROOM), created(1)).timeline;
    timeline = applyEvent(timeline, reactionEvent(2, 'reaction.added', ada)).timeline;
    const deleted: RoomEvent = {
      roomId: ROOM,
      seq: 3,
      type: 'message.deleted',
      at: '2025-01-01T12:01:00.000Z',
      actor: sam,
      data: { messageId: 'm-1' },
    };
    expect(applyEvent(timeline, deleted).timeline.messages[0]?.reactions).toBeUndefined();
  });
});
