/**
 * Emoji by shortcode for `:smi` in the composer, from `emoji-picker-element`'s `Database` over
 * the emojibase data this app serves itself (Vite's `?url`: no CDN). Both are loaded on the
 * first `:` query only; the database keeps the data in IndexedDB for later visits.
 */
import type { Suggestion } from './autocomplete';

export type EmojiSearch = (query: string, max?: number) => Promise<Suggestion[]>;

type EmojiDatabase = import('emoji-picker-element/database').default;

let database: Promise<EmojiDatabase> | undefined;

async function openDatabase(): Promise<EmojiDatabase> {
  const [{ default: Database }, { default: dataSource }] = await Promise.all([
    import('emoji-picker-element/database'),
    import('emoji-picker-element-data/en/emojibase/data.json?url'),
  ]);
  return new Database({ dataSource });
}

/** Emoji whose shortcode starts with the query, shortest shortcode first. */
export const searchEmojiShortcodes: EmojiSearch = async (query, max = 8) => {
  database ??= openDatabase();
  const q = query.toLowerCase();
  const found = await (await database).getEmojiBySearchQuery(q);
  const suggestions: Suggestion[] = [];
  for (const emoji of found) {
    if (!('unicode' in emoji)) continue; // custom emoji: none configured
    const shortcode = emoji.shortcodes?.find((code) => code.startsWith(q));
    if (!shortcode) continue;
    suggestions.push({
      key: `emoji:${shortcode}`,
      insert: emoji.unicode,
      label: `:${shortcode}:`,
      detail: emoji.annotation,
      emoji: emoji.unicode,
    });
  }
  return suggestions.sort((a, b) => a.label.length - b.label.length).slice(0, max);
};
