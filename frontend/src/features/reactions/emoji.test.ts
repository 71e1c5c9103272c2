import type { Reaction, UserRef } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { reactorsLabel } from './emoji';

const person = (name: string): UserRef => ({
  id: `u-${name}`,
  username: name.toLowerCase(),
  displayName: name,
});
const reaction = (...names: string[]): Reaction => ({
  emoji: '👍',
  count: names.length,
  users: names.map(person),
});

describe('reactorsLabel', () => {
  it('names one, two and three people', () => {
    expect(reactorsLabel(reaction('Ada'), 'u-me')).toBe('Ada reacted with 👍');
    expect(reactorsLabel(reaction('Ada', 'Bo'), 'u-me')).toBe('Ada and Bo reacted with 👍');
    expect(reactorsLabel(reaction('Ada', 'Bo', 'Cy'), 'u-me')).toBe('Ada, Bo and Cy reacted with 👍');
  });

  it('puts the reader first as "You" and counts the rest', () => {
    expect(reactorsLabel(reaction('Ada', 'Me'), 'u-Me')).toBe('You and Ada reacted with 👍');
    expect(reactorsLabel(reaction('Ada', 'Bo', 'Cy', 'Di', 'Me'), 'u-Me')).toBe(
      'You, Ada, Bo and 2 others reacted with 👍',
    );
    expect(reactorsLabel(reaction('Ada', 'Bo', 'Cy', 'Di'), 'u-me')).toBe(
      'Ada, Bo, Cy and 1 other reacted with 👍',
    );
  });
});
