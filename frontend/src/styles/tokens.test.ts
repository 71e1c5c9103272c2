import { describe, expect, it } from 'vitest';
import css from './tokens.css?raw';

/**
 * The colour tokens of `tokens.css`, checked for contrast in both themes (WCAG 2.2: text 4.5:1,
 * control boundaries and large text 3:1). A translucent colour is laid over what it sits on.
 */

type Rgba = [number, number, number, number];
type Theme = 'light' | 'dark';

function declared(name: string): string {
  const match = new RegExp(`--${name}:\\s*([^;]+);`).exec(css);
  if (!match?.[1]) throw new Error(`tokens.css has no --${name}`);
  return match[1].trim();
}

function valueIn(name: string, theme: Theme): string {
  let value = declared(name);
  const pair = /^light-dark\((.+)\)$/.exec(value);
  if (pair?.[1]) {
    const [light, dark] = splitTopLevel(pair[1]);
    value = (theme === 'light' ? light : dark) ?? '';
  }
  const reference = /^var\(--([a-z0-9-]+)\)$/.exec(value);
  return reference?.[1] ? valueIn(reference[1], theme) : value;
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '(') depth++;
    else if (list[i] === ')') depth--;
    else if (list[i] === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts;
}

function parseColor(text: string, hue = 0): Rgba {
  const hex = /^#([0-9a-f]{6})$/i.exec(text);
  if (hex?.[1]) {
    const n = Number.parseInt(hex[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const rgb = /^rgb\((\d+) (\d+) (\d+)(?: \/ ([\d.]+))?\)$/.exec(text);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
  const hsl = /^hsl\(var\(--avatar-hue, \d+\) (\d+)% (\d+)%\)$/.exec(text);
  if (hsl) return [...hslToRgb(hue, Number(hsl[1]) / 100, Number(hsl[2]) / 100), 1];
  throw new Error(`cannot read the colour ${text}`);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => (top[i] ?? 0) * a + (bottom[i] ?? 0) * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** Contrast of `fg` on `bg` (bg itself laid over `base` when translucent). */
function contrast(fg: string, bg: string, theme: Theme, base = 'bg', hue = 0): number {
  const ground = over(parseColor(valueIn(bg, theme), hue), parseColor(valueIn(base, theme)));
  const ink = over(parseColor(valueIn(fg, theme), hue), ground);
  const [hi, lo] = [luminance(ink), luminance(ground)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** [foreground, background, minimum, what sits under a translucent background]. */
const PAIRS: [string, string, number, string?][] = [
  ['text', 'bg', 4.5],
  ['text', 'bg-soft', 4.5],
  ['text-2', 'bg', 4.5],
  ['text-2', 'bg-soft', 4.5],
  ['text-2', 'bg-hover', 4.5],
  ['muted', 'bg', 4.5],
  ['muted', 'bg-soft', 4.5],
  ['muted', 'bg-hover', 4.5],
  ['muted', 'accent-soft', 4.5],
  ['placeholder', 'bg', 4.5],
  ['accent-text', 'bg', 4.5],
  ['accent-text', 'bg-soft', 4.5],
  ['accent-text', 'accent-soft', 4.5],
  ['accent-text-strong', 'accent-soft', 4.5],
  ['accent-text-strong', 'bg-soft', 4.5],
  ['on-accent', 'accent', 4.5],
  ['on-accent', 'accent-strong', 4.5],
  ['border-control', 'bg', 3],
  ['border-control', 'bg-soft', 3],
  ['accent', 'bg', 3],
  ['sidebar-text', 'sidebar-bg', 4.5],
  ['sidebar-text', 'sidebar-hover', 4.5, 'sidebar-bg'],
  ['sidebar-muted', 'sidebar-bg', 4.5],
  ['sidebar-muted', 'sidebar-footer', 4.5, 'sidebar-bg'],
  ['sidebar-text-strong', 'sidebar-active', 4.5],
  ['on-badge', 'sidebar-badge', 4.5],
  ['success-text', 'success-soft', 4.5],
  ['success-text', 'bg', 4.5],
  ['success', 'bg', 3],
  ['warning-text', 'warning-soft', 4.5],
  ['warning-text', 'bg', 4.5],
  ['danger', 'bg', 4.5],
  ['danger', 'danger-soft', 4.5],
  ['danger', 'danger-soft-hover', 4.5],
  ['danger-text', 'danger-soft', 4.5],
  ['danger-text', 'danger-softer', 4.5],
  ['text', 'danger-softer', 4.5],
  ['text', 'drop-overlay', 4.5],
  ['accent-text', 'drop-overlay', 4.5],
  ['lightbox-text', 'lightbox-backdrop', 4.5],
  ['code-text', 'code-bg', 4.5],
  ['syntax-comment', 'code-bg', 4.5],
  ['syntax-keyword', 'code-bg', 4.5],
  ['syntax-string', 'code-bg', 4.5],
  ['syntax-number', 'code-bg', 4.5],
  ['syntax-title', 'code-bg', 4.5],
  ['syntax-attr', 'code-bg', 4.5],
  ['syntax-meta', 'code-bg', 4.5],
  ['syntax-addition', 'syntax-addition-bg', 4.5],
  ['syntax-deletion', 'syntax-deletion-bg', 4.5],
  ['mention-text', 'mention-bg', 4.5],
  ['mention-me-text', 'mention-me-bg', 4.5],
  ['text', 'mentioned-bg', 4.5],
  ['text-2', 'mentioned-bg', 4.5],
  ['muted', 'mentioned-bg', 4.5],
  ['mention-text', 'mentioned-bg', 4.5],
  ['mention-me-text', 'mentioned-bg', 4.5],
  ['text', 'mentioned-bg-hover', 4.5],
  ['muted', 'mentioned-bg-hover', 4.5],
  ['presence-online', 'bg', 3],
];

describe('colour tokens', () => {
  for (const theme of ['light', 'dark'] as const) {
    it.each(PAIRS)(`${theme}: --%s on --%s is at least %s:1`, (fg, bg, minimum, base) => {
      expect(contrast(fg, bg, theme, base)).toBeGreaterThanOrEqual(minimum);
    });

    it(`${theme}: avatar initials are at least 4.5:1 on their tile for every hue`, () => {
      for (let hue = 0; hue < 360; hue++) {
        expect(contrast('avatar-text', 'avatar-bg', theme, 'bg', hue), `hue ${hue}`).toBeGreaterThanOrEqual(
          4.5,
        );
      }
    });
  }
});

if (import.meta.env.VITE_PRINT_CONTRAST) {
  for (const [fg, bg, , base] of PAIRS) {
    const ratios = (['light', 'dark'] as const).map((theme) => contrast(fg, bg, theme, base).toFixed(2));
    console.log(`${fg} on ${bg}: light ${ratios[0]}, dark ${ratios[1]}`);
  }
  const worst = (theme: Theme) =>
    Math.min(
      ...Array.from({ length: 360 }, (_, hue) => contrast('avatar-text', 'avatar-bg', theme, 'bg', hue)),
    );
  console.log(`avatar (worst hue): light ${worst('light').toFixed(2)}, dark ${worst('dark').toFixed(2)}`);
}
