/**
 * Fuzzy matching for the quick switcher: the typed letters must appear in order in the name
 * ("gnrl" finds "general"); a match scores higher the earlier it starts, the more letters run
 * together, and when letters start words ("dc" finds "design-crit" first). Case and accents are
 * ignored.
 */

const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const isWordStart = (text: string, index: number) => index === 0 || /[\s\-_.@#,]/.test(text[index - 1] ?? '');

/** A score above 0 when every letter of `query` appears in `text` in order; 0 otherwise. */
export function fuzzyScore(query: string, text: string): number {
  const q = fold(query.trim());
  if (q === '') return 1;
  const t = fold(text);
  if (t === q) return 1000;
  if (t.startsWith(q)) return 900 - t.length;
  const at = t.indexOf(q);
  if (at >= 0) return isWordStart(t, at) ? 800 - at - t.length : Math.max(1, 120 - at - t.length);
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of q) {
    if (char === ' ') continue;
    const index = t.indexOf(char, from);
    if (index < 0) return 0;
    score += index === previous + 1 ? 6 : isWordStart(t, index) ? 8 : 1;
    previous = index;
    from = index + 1;
  }
  return Math.max(1, Math.min(500, score * 10 - t.length));
}

/** The best score over several names of one thing (a person's display name and username). */
export function bestScore(query: string, names: readonly string[]): number {
  return Math.max(0, ...names.map((name) => fuzzyScore(query, name)));
}
