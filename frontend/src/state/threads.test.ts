import { describe, expect, it } from 'vitest';
import { created, meRef, message, sam } from '../test/fixtures';
import { isThreadOnly, threadRootOf, withThreadReply } from './threads';
import { applyEvent, emptyTimeline, withLatestPage } from './timeline';

const loaded = (messages = [message(1)]) => withLatestPage(emptyTimeline('r-general'), messages, false);

describe('threads in the app state', () => {
  it('counts a live reply on its loaded root, latest replier first, each once', () => {
    const root = message(1, { thread: { replyCount: 1, lastReplyAt: 'earlier', lastRepliers: [meRef] } });
    let timeline = loaded([root]);
    timeline = applyEvent(timeline, created(2, { threadId: 'm-1', replyTo: 'm-1', author: sam })).timeline;
    const again = applyEvent(timeline, created(2, { threadId: 'm-1', replyTo: 'm-1', author: sam }));
    expect(again.outcome).toBe('duplicate');
    timeline = applyEvent(
      again.timeline,
      created(3, { threadId: 'm-1', replyTo: 'm-2', author: meRef }),
    ).timeline;

    const counted = timeline.messages.find((m) => m.id === 'm-1');
    expect(counted?.thread).toEqual({
      replyCount: 3,
      lastReplyAt: message(3).createdAt,
      lastRepliers: [meRef, sam],
    });
    expect(timeline.messages.map((m) => m.id)).toEqual(['m-1', 'm-2', 'm-3']);
  });

  it('keeps at most three latest repliers', () => {
    const people = ['a', 'b', 'c', 'd'].map((id) => ({ id, username: id, displayName: id.toUpperCase() }));
    let messages = [message(1)];
    people.forEach((author, index) => {
      messages = withThreadReply(messages, message(index + 2, { threadId: 'm-1', author }));
    });
    expect(messages[0]?.thread?.lastRepliers.map((user) => user.id)).toEqual(['d', 'c', 'b']);
    expect(messages[0]?.thread?.replyCount).toBe(4);
  });

  it('tells thread-only replies from those also sent to the room, and finds the root', () => {
    expect(isThreadOnly(message(2, { threadId: 'm-1' }))).toBe(true);
    expect(isThreadOnly(message(2, { threadId: 'm-1', alsoToRoom: true }))).toBe(false);
    expect(isThreadOnly(message(1))).toBe(false);
    expect(threadRootOf(message(3, { threadId: 'm-1' }))).toBe('m-1');
    expect(threadRootOf(message(1))).toBe('m-1');
  });
});
