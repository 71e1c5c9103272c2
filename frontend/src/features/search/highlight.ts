/**
 * Splits a message's text into the parts a search matched and the rest, so the results can show
 * the matches as <mark> elements built from text (never from HTML: a message cannot inject
 * markup into the page). Matching is case-insensitive, as the server's is.
 */
export interface TextPart {
  text: string;
  match: boolean;
}

/** Where each term occurs, overlapping and adjacent ranges joined. */
function matchedRanges(text: string, terms: readonly string[]): [number, number][] {
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const needle = term.toLowerCase();
    // Lower-casing can change a string's length (İ): then the positions would not line up.
    if (needle === '' || lower.length !== text.length) continue;
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
      ranges.push([at, at + needle.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const joined: [number, number][] = [];
  for (const range of ranges) {
    const last = joined.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else joined.push([range[0], range[1]]);
  }
  return joined;
}

export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const [start, end] of matchedRanges(text, terms)) {
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), match: false });
  return parts;
}

/**
 * A long message cut to a window around its first match, so the match is visible in a result
 * list: `…` marks what was cut.
 */
export function excerpt(text: string, terms: readonly string[], max = 220): string {
  if (text.length <= max) return text;
  const first = matchedRanges(text, terms)[0];
  const start = first ? Math.max(0, Math.min(first[0] - Math.floor(max / 3), text.length - max)) : 0;
  const cut = text.slice(start, start + max);
  return `${start > 0 ? '…' : ''}${cut}${start + max < text.length ? '…' : ''}`;
}
