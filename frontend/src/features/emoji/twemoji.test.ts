import { describe, expect, it } from 'vitest';
import { isJumbo, splitEmoji, twemojiName, twemojiUrl } from './twemoji';

/** Every Twemoji file the app serves, by name (the package itself, as the build copies it). */
const FILES = new Set(
  Object.keys(import.meta.glob('../../../../node_modules/@twemoji/svg/*.svg')).map((path) =>
    path.slice(path.lastIndexOf('/') + 1, -'.svg'.length),
  ),
);

/** The emoji the full picker offers (its data, with every skin tone). */
type PickerEmoji = { emoji: string; version: number; skins?: { emoji: string; version: number }[] };
const PICKER_DATA = Object.values(
  import.meta.glob<PickerEmoji[]>(
    '../../../../node_modules/emoji-picker-element-data/en/emojibase/data.json',
    {
      eager: true,
      import: 'default',
    },
  ),
)[0] as PickerEmoji[];

const emojiOf = (text: string) =>
  splitEmoji(text).flatMap((part) => (part.kind === 'emoji' ? [part.emoji] : []));

describe('twemojiName', () => {
  it('joins code points in lower-case hex and drops U+FE0F when there is no joiner', () => {
    expect(twemojiName('😀')).toBe('1f600');
    expect(twemojiName('❤️')).toBe('2764');
    expect(twemojiName('☺️')).toBe('263a');
  });

  it('names keycaps without U+FE0F', () => {
    expect(twemojiName('#️⃣')).toBe('23-20e3');
    expect(twemojiName('1️⃣')).toBe('31-20e3');
    expect(twemojiName('*️⃣')).toBe('2a-20e3');
  });

  it('names flags by their two regional indicators, and subdivision flags by their tags', () => {
    expect(twemojiName('🇫🇷')).toBe('1f1eb-1f1f7');
    expect(twemojiName('🏴󠁧󠁢󠁳󠁣󠁴󠁿')).toBe('1f3f4-e0067-e0062-e0073-e0063-e0074-e007f');
  });

  it('keeps skin tone modifiers', () => {
    expect(twemojiName('👍🏽')).toBe('1f44d-1f3fd');
  });

  it('keeps U+FE0F in ZWJ sequences', () => {
    expect(twemojiName('👨‍👩‍👧‍👦')).toBe('1f468-200d-1f469-200d-1f467-200d-1f466');
    expect(twemojiName('🏳️‍🌈')).toBe('1f3f3-fe0f-200d-1f308');
    expect(twemojiName('❤️‍🔥')).toBe('2764-fe0f-200d-1f525');
    expect(twemojiName('🏃🏽‍♀️')).toBe('1f3c3-1f3fd-200d-2640-fe0f');
  });

  it('has a file for every emoji the picker offers up to Emoji 15.0, skin tones included', () => {
    const offered = PICKER_DATA.filter((entry) => entry.version <= 15).flatMap((entry) => [
      entry.emoji,
      ...(entry.skins ?? []).filter((skin) => skin.version <= 15).map((skin) => skin.emoji),
    ]);
    expect(offered.length).toBeGreaterThan(3500);
    expect(offered.filter((emoji) => !FILES.has(twemojiName(emoji)))).toEqual([]);
  });

  it('serves from a versioned path of our own origin', () => {
    expect(twemojiUrl('😀')).toMatch(/^\/emoji\/\d+\.\d+\.\d+\/1f600\.svg$/);
  });
});

describe('splitEmoji', () => {
  it('leaves text without emoji as one text part', () => {
    expect(splitEmoji('plain words, (c) © ™ # 1 ❤ 2')).toEqual([
      { kind: 'text', text: 'plain words, (c) © ™ # 1 ❤ 2' },
    ]);
    expect(splitEmoji('')).toEqual([]);
  });

  it('finds each emoji between text parts', () => {
    expect(splitEmoji('hi 😀 there👋')).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'emoji', emoji: '😀' },
      { kind: 'text', text: ' there' },
      { kind: 'emoji', emoji: '👋' },
    ]);
  });

  it('takes a ZWJ family, a flag, a keycap and a skin tone each as one emoji', () => {
    expect(emojiOf('👨‍👩‍👧‍👦🇯🇵#️⃣👍🏿🏳️‍🌈')).toEqual(['👨‍👩‍👧‍👦', '🇯🇵', '#️⃣', '👍🏿', '🏳️‍🌈']);
  });

  it('tells two flags side by side apart', () => {
    expect(emojiOf('🇫🇷🇩🇪')).toEqual(['🇫🇷', '🇩🇪']);
  });

  it('keeps a redundant U+FE0F with its emoji', () => {
    expect(emojiOf('ok 😐️ ok')).toEqual(['😐️']);
  });
});

describe('isJumbo', () => {
  it('is true for one to three emoji alone, spaces allowed', () => {
    expect(isJumbo('🎉')).toBe(true);
    expect(isJumbo(' 👍🏽 🎉\n❤️ ')).toBe(true);
    expect(isJumbo('👨‍👩‍👧‍👦')).toBe(true);
  });

  it('is false with any text, with more than three emoji, and for nothing', () => {
    expect(isJumbo('yes 🎉')).toBe(false);
    expect(isJumbo('🎉🎉🎉🎉')).toBe(false);
    expect(isJumbo('   ')).toBe(false);
    expect(isJumbo('#')).toBe(false);
  });
});
