/**
 * The search query language, parsed once here so every storage engine answers the same
 * question:
 *
 *   free terms        every one must occur in the text, case-insensitively, as any substring
 *   "a phrase"        the same, spaces included
 *   from:username     written by that user (`from:@ann` too)
 *   in:slug           in that room (`in:#slug` too)
 *   has:file          with an attachment
 *   before:YYYY-MM-DD sent before that day began (UTC)
 *   after:YYYY-MM-DD  sent after that day ended (UTC)
 *
 * A word with a colon whose key is not one of these (`https://example.com`) is a free term.
 */
import { codePointLength } from '@parley/protocol';

/** The shortest term a trigram index can look up; shorter ones are checked by scanning. */
export const MIN_INDEXED_TERM = 3;
/** More terms than this is not a search anyone types; it bounds the SQL we build. */
export const MAX_TERMS = 10;

export interface SearchFilters {
  /** Lower-cased free terms and phrases; all must match. */
  terms: string[];
  /** A username, lower-cased. */
  from?: string;
  /** A room slug, lower-cased. */
  in?: string;
  hasFile: boolean;
  /** Only messages created strictly before this ISO time. */
  createdBefore?: string;
  /** Only messages created at or after this ISO time. */
  createdFrom?: string;
}

export type ParseResult = { ok: true; filters: SearchFilters } | { ok: false; message: string };

const FILTER_KEYS = new Set(['from', 'in', 'has', 'before', 'after']);
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ONE_DAY_MS = 86_400_000;

/** Splits into words and quoted phrases; `key:"quoted value"` stays one token. */
function tokens(query: string): { key?: string; value: string; quoted: boolean }[] {
  const found: { key?: string; value: string; quoted: boolean }[] = [];
  const pattern = /(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S*))/g;
  for (const match of query.matchAll(pattern)) {
    const [, key, quoted, bare] = match;
    if (match[0] === '') continue; // between words
    if (key !== undefined && !FILTER_KEYS.has(key.toLowerCase())) {
      // Not a filter: the whole token is a free term (`https://example.com`, `note:"x"`).
      found.push({ value: match[0].replaceAll('"', ''), quoted: quoted !== undefined });
    } else {
      found.push({ key: key?.toLowerCase(), value: quoted ?? bare ?? '', quoted: quoted !== undefined });
    }
  }
  return found;
}

/** The UTC midnight starting the day `YYYY-MM-DD`, or undefined if it is not a real date. */
function startOfDay(value: string): number | undefined {
  const match = DAY.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  // Date.UTC rolls 2026-02-30 over to March: refuse what is not a calendar date.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return time;
}

export function parseSearchQuery(query: string): ParseResult {
  const filters: SearchFilters = { terms: [], hasFile: false };
  const seen = new Set<string>();
  for (const token of tokens(query)) {
    if (token.key === undefined) {
      const term = token.value.trim().toLowerCase();
      if (term !== '' && !filters.terms.includes(term)) filters.terms.push(term);
      continue;
    }
    const key = token.key;
    const value = token.value.trim();
    if (seen.has(key)) return { ok: false, message: `Give ${key}: at most once.` };
    seen.add(key);
    if (value === '') return { ok: false, message: `${key}: needs a value, as in ${example(key)}.` };
    switch (key) {
      case 'from':
        filters.from = value.replace(/^@/, '').toLowerCase();
        break;
      case 'in':
        filters.in = value.replace(/^#/, '').toLowerCase();
        break;
      case 'has':
        if (value.toLowerCase() !== 'file') return { ok: false, message: 'has: only knows has:file.' };
        filters.hasFile = true;
        break;
      case 'before':
      case 'after': {
        const start = startOfDay(value);
        if (start === undefined) {
          return { ok: false, message: `${key}: needs a date as YYYY-MM-DD, as in ${example(key)}.` };
        }
        if (key === 'before') filters.createdBefore = new Date(start).toISOString();
        else filters.createdFrom = new Date(start + ONE_DAY_MS).toISOString();
        break;
      }
    }
  }
  if (filters.terms.length > MAX_TERMS) {
    return { ok: false, message: `Search for at most ${MAX_TERMS} words or phrases at a time.` };
  }
  const narrowed = seen.size > 0;
  if (filters.terms.length === 0 && !narrowed) return { ok: false, message: 'Type something to search for.' };
  const indexed = filters.terms.some((term) => codePointLength(term) >= MIN_INDEXED_TERM);
  if (filters.terms.length > 0 && !indexed && !narrowed) {
    return {
      ok: false,
      message: `Search for at least ${MIN_INDEXED_TERM} characters, or narrow a shorter search with in:, from:, has:file, before: or after:.`,
    };
  }
  return { ok: true, filters };
}

function example(key: string): string {
  switch (key) {
    case 'from':
      return 'from:ann';
    case 'in':
      return 'in:#general';
    case 'has':
      return 'has:file';
    default:
      return `${key}:2026-01-31`;
  }
}
