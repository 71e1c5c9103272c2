import { describe, expect, it } from 'vitest';
import { bestScore, fuzzyScore } from './fuzzy';

describe('fuzzyScore', () => {
  it('matches letters in order, ignoring case and accents, and refuses what is not there', () => {
    expect(fuzzyScore('gnrl', 'general')).toBeGreaterThan(0);
    expect(fuzzyScore('LEA', 'Léa Martin')).toBeGreaterThan(0);
    expect(fuzzyScore('lg', 'general')).toBe(0);
    expect(fuzzyScore('xyz', 'general')).toBe(0);
  });

  it('ranks exact, then prefix, then word starts, then scattered letters', () => {
    const names = ['design-crit', 'random-designs', 'dev-chat', 'design'];
    const ranked = names
      .filter((name) => fuzzyScore('design', name) > 0)
      .sort((a, b) => fuzzyScore('design', b) - fuzzyScore('design', a));
    expect(ranked).toEqual(['design', 'design-crit', 'random-designs']);
    expect(fuzzyScore('dc', 'design-crit')).toBeGreaterThan(fuzzyScore('dc', 'podcast'));
  });

  it('takes the best of several names', () => {
    expect(bestScore('ada', ['Ada Lovelace', 'ada'])).toBe(1000);
    expect(bestScore('zz', ['Ada Lovelace', 'ada'])).toBe(0);
  });
});
