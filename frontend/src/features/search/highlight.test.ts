import { describe, expect, it } from 'vitest';
import { excerpt, highlightParts } from './highlight';

describe('highlightParts', () => {
  it('marks every case-insensitive occurrence of each term', () => {
    expect(highlightParts('See Example.com/path and example.org', ['exam'])).toEqual([
      { text: 'See ', match: false },
      { text: 'Exam', match: true },
      { text: 'ple.com/path and ', match: false },
      { text: 'exam', match: true },
      { text: 'ple.org', match: false },
    ]);
  });

  it('joins overlapping and adjacent matches and keeps markup as plain text', () => {
    expect(highlightParts('<b>v1.2.3</b>', ['v1.2', '2.3', '<b>'])).toEqual([
      { text: '<b>v1.2.3', match: true },
      { text: '</b>', match: false },
    ]);
  });

  it('answers the whole text unmarked when nothing matches', () => {
    expect(highlightParts('hello', ['zzz'])).toEqual([{ text: 'hello', match: false }]);
    expect(highlightParts('', ['a'])).toEqual([{ text: '', match: false }]);
  });
});

describe('excerpt', () => {
  it('keeps short text whole and cuts long text around the first match', () => {
    expect(excerpt('short', ['x'])).toBe('short');
    const long = `${'a'.repeat(300)} needle ${'b'.repeat(300)}`;
    const cut = excerpt(long, ['needle'], 100);
    expect(cut).toContain('needle');
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
  });
});
