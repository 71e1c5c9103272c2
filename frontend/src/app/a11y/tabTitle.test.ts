import { describe, expect, it } from 'vitest';
import { tabTitle, totalUnread } from './tabTitle';

describe('tabTitle', () => {
  it('puts the unread count of every room before the open room', () => {
    expect(tabTitle('#general', totalUnread({ a: 2, b: 0, c: 1 }))).toBe('(3) #general · Parley');
    expect(tabTitle('#general', totalUnread({ a: 0 }))).toBe('#general · Parley');
    expect(tabTitle(null, 0)).toBe('Parley');
    expect(tabTitle('Ada', 1)).toBe('(1) Ada · Parley');
  });
});
