/**
 * The full emoji picker: `emoji-picker-element`, loaded only when someone asks for it (this
 * module is imported lazily, so neither the element nor its data weigh on the main bundle).
 * Its emoji data is served from our own origin (the CSP allows only 'self'; no CDN).
 */
import { Picker } from 'emoji-picker-element';
import type { EmojiClickEvent } from 'emoji-picker-element/shared';
import dataSource from 'emoji-picker-element-data/en/emojibase/data.json?url';
import { useEffect, useRef } from 'react';
import { drawPickerWithTwemoji } from './twemojiInPicker';

/**
 * Emoji up to this version are offered: the version of the Twemoji images we serve, so every emoji
 * picked has a picture. Set rather than detected: the element detects support by drawing on a
 * canvas with the system's fonts, and would hide most emoji on a machine without an emoji font.
 */
const EMOJI_VERSION = 15;

interface FullEmojiPickerProps {
  onPick: (emoji: string) => void;
}

export default function FullEmojiPicker({ onPick }: FullEmojiPickerProps) {
  const host = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    const container = host.current;
    if (!container) return;
    const picker = new Picker({ dataSource, emojiVersion: EMOJI_VERSION });
    adoptOwnStyles(picker);
    const stopStyleAttributes = applyStyleAttributes(picker);
    const stopTwemoji = drawPickerWithTwemoji(picker);
    picker.classList.add('emoji-picker');
    const onClick = (event: EmojiClickEvent) => {
      if (event.detail.unicode) pick.current(event.detail.unicode);
    };
    picker.addEventListener('emoji-click', onClick);
    container.appendChild(picker);
    // The search field first: typing a name is the quickest way to an emoji.
    const focusSearch = () => picker.shadowRoot?.querySelector<HTMLInputElement>('input')?.focus();
    const timer = window.setTimeout(focusSearch, 0);
    return () => {
      window.clearTimeout(timer);
      picker.removeEventListener('emoji-click', onClick);
      stopStyleAttributes();
      stopTwemoji();
      picker.remove();
    };
  }, []);

  return <div ref={host} className="emoji-picker-host" />;
}

/**
 * The element puts its styles in a `<style>` element in its shadow root, which our CSP
 * (`style-src 'self'`) refuses. Before it is connected (so before the CSP ever looks at it),
 * the same rules move to a constructed stylesheet, which the CSP does not govern.
 */
function adoptOwnStyles(picker: HTMLElement): void {
  const root = picker.shadowRoot;
  const inline = root?.querySelector('style');
  if (!root || !inline) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(inline.textContent ?? '');
  inline.remove();
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/**
 * The element also lays itself out with `style="…"` attributes (the category bar's columns, the
 * indicator's position, grid rows), written with `setAttribute('style', …)`, which the CSP refuses
 * (the browser logs each refusal). While a picker is open, such a write on one of its elements, or
 * on a detached element (its templates are cloned detached, then filled in), goes through the
 * CSSOM instead, which the CSP allows; the value and the outcome are the same. Markup typed by a
 * user is never parsed here, so no policy is loosened: only this script's own writes change path.
 */
let openPickers: ShadowRoot[] = [];
const nativeSetAttribute = Element.prototype.setAttribute;

function setAttributeThroughCssom(this: Element, name: string, value: string): void {
  const styled = this instanceof HTMLElement || this instanceof SVGElement;
  if (styled && name.toLowerCase() === 'style') {
    const root = this.getRootNode();
    if (!this.isConnected || openPickers.some((picker) => picker === root)) {
      this.style.cssText = value;
      return;
    }
  }
  nativeSetAttribute.call(this, name, value);
}

function applyStyleAttributes(picker: HTMLElement): () => void {
  const root = picker.shadowRoot;
  if (!root) return () => undefined;
  if (openPickers.length === 0) Element.prototype.setAttribute = setAttributeThroughCssom;
  openPickers = [...openPickers, root];
  return () => {
    openPickers = openPickers.filter((open) => open !== root);
    if (openPickers.length === 0) Element.prototype.setAttribute = nativeSetAttribute;
  };
}
