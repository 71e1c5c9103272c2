import { describe, expect, it } from 'vitest';
import { parseSearchQuery, type SearchFilters } from '../../src/core/search/search-query.js';

function parsed(query: string): SearchFilters {
  const result = parseSearchQuery(query);
  if (!result.ok) throw new Error(`refused "${query}": ${result.message}`);
  return result.filters;
}

function refusal(query: string): string {
  const result = parseSearchQuery(query);
  if (result.ok) throw new Error(`accepted "${query}": ${JSON.stringify(result.filters)}`);
  return result.message;
}

describe('parseSearchQuery', () => {
  it('reads free terms lower-cased, once each, keeping URLs, versions and code whole', () => {
    expect(parsed('Deploy  v1.2.3 example.com/path deploy foo(bar)').terms).toEqual([
      'deploy',
      'v1.2.3',
      'example.com/path',
      'foo(bar)',
    ]);
  });

  it('keeps a quoted phrase as one term, spaces included, even unclosed', () => {
    expect(parsed('"Quick brown" fox').terms).toEqual(['quick brown', 'fox']);
    expect(parsed('fox "lazy dog').terms).toEqual(['fox', 'lazy dog']);
  });

  it('treats a colon word that is not a filter as a free term', () => {
    expect(parsed('https://example.com/a note:x').terms).toEqual(['https://example.com/a', 'note:x']);
  });

  it('reads every filter', () => {
    expect(parsed('report from:@Ann in:#Ops has:file before:2026-02-01 after:2026-01-01')).toEqual({
      terms: ['report'],
      from: 'ann',
      in: 'ops',
      hasFile: true,
      createdBefore: '2026-02-01T00:00:00.000Z',
      // after: a day means after that day has ended.
      createdFrom: '2026-01-02T00:00:00.000Z',
    });
    expect(parsed('FROM:bob IN:general')).toMatchObject({ from: 'bob', in: 'general', terms: [] });
    expect(parsed('in:"general"')).toMatchObject({ in: 'general' });
  });

  it('accepts filters alone, and a short term only when something else narrows it', () => {
    expect(parsed('from:ann')).toEqual({ terms: [], from: 'ann', hasFile: false });
    expect(parsed('go in:ops').terms).toEqual(['go']);
    expect(parsed('go deploy').terms).toEqual(['go', 'deploy']);
    expect(refusal('go')).toMatch(/at least 3 characters/);
    expect(refusal('a bc')).toMatch(/at least 3 characters/);
  });

  it('refuses what it cannot mean, saying why', () => {
    expect(refusal('')).toMatch(/Type something/);
    expect(refusal('""')).toMatch(/Type something/);
    expect(refusal('x has:image')).toMatch(/has:file/);
    expect(refusal('x before:2026-02-30')).toMatch(/YYYY-MM-DD/);
    expect(refusal('x after:yesterday')).toMatch(/YYYY-MM-DD/);
    expect(refusal('x from:')).toMatch(/from: needs a value/);
    expect(refusal('from:a from:b')).toMatch(/at most once/);
    expect(refusal('a1 a2 a3 a4 a5 a6 a7 a8 a9 b1 b2')).toMatch(/at most 10/);
  });
});
