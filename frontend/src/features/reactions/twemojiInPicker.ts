/**
 * `emoji-picker-element` draws its emoji as text in the platform's font; this makes it show the
 * same Twemoji images as the rest of the app, without changing how it works. Each emoji button
 * keeps its character (its names, search and the picked value are untouched) but the glyph is
 * made transparent and the image drawn as the button's background, set through the CSSOM (which
 * the CSP allows; the URL is our own origin). The element updates its text in place (a skin tone
 * change rewrites a text node), so a mutation observer keeps each background in step.
 */
import { twemojiUrl } from '../emoji/twemoji';

/** Emoji the element draws: the grid, favourites, category tabs and skin tones; never its hidden font probe. */
const DRAWN = '.emoji:not(.custom-emoji):not(.baseline-emoji)';

const SHEET = `
${DRAWN}.twemoji {
  color: transparent;
  background-position: center;
  background-repeat: no-repeat;
  background-size: var(--emoji-size);
}
`;

/** What each button's background shows now, so an unchanged one is not written again. */
const shown = new WeakMap<Element, string>();

function draw(root: ShadowRoot): void {
  for (const button of root.querySelectorAll<HTMLElement>(DRAWN)) {
    const emoji = button.textContent?.trim() ?? '';
    if (emoji === '' || shown.get(button) === emoji) continue;
    shown.set(button, emoji);
    button.style.backgroundImage = `url("${twemojiUrl(emoji)}")`;
    button.classList.add('twemoji');
  }
}

/** Starts drawing the picker's emoji as images; the returned function stops. */
export function drawPickerWithTwemoji(picker: HTMLElement): () => void {
  const root = picker.shadowRoot;
  if (!root) return () => undefined;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(SHEET);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  // Batched: one pass per animation frame however many nodes changed.
  let frame = 0;
  const schedule = () => {
    if (frame === 0) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        draw(root);
      });
    }
  };
  const observer = new MutationObserver(schedule);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  draw(root);
  return () => {
    observer.disconnect();
    cancelAnimationFrame(frame);
  };
}
