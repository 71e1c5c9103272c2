import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { message } from '../../test/fixtures';
import { unreadReplies, useThreadReadMarks } from './useThreadReadMarks';

const summary = (replyCount: number) => ({
  replyCount,
  lastReplyAt: '2025-01-01T12:00:00.000Z',
  lastRepliers: [],
});

describe('thread read marks', () => {
  afterEach(() => localStorage.clear());

  it('counts replies since the mark, only on threads opened here', () => {
    const messages = [message(1, { thread: summary(5) }), message(2, { thread: summary(2) }), message(3)];
    expect(unreadReplies(messages, { 'm-1': 3, 'm-3': 0 })).toEqual(new Map([['m-1', 2]]));
    expect(unreadReplies(messages, { 'm-1': 5 }).size).toBe(0);
  });

  it('keeps marks per account in localStorage, never moving one back', () => {
    const { result, unmount } = renderHook(() => useThreadReadMarks('u-1'));
    act(() => result.current.markSeen('m-1', 4));
    act(() => result.current.markSeen('m-1', 2));
    expect(result.current.marks).toEqual({ 'm-1': 4 });
    unmount();
    expect(renderHook(() => useThreadReadMarks('u-1')).result.current.marks).toEqual({ 'm-1': 4 });
    expect(renderHook(() => useThreadReadMarks('u-2')).result.current.marks).toEqual({});
  });
});
