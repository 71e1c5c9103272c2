import type { Page } from 'playwright-core';

/** A phone: small screen, touch only, no hover (the app's `(pointer: coarse)` and `(hover: none)`). */
export const TOUCH = { hasTouch: true, isMobile: true } as const;

/**
 * Controls on screen a finger cannot hit reliably (under 44×44 CSS px, WCAG 2.5.5 and Apple's
 * guideline) and fields whose text is under 16 px (phones zoom the page when such a field takes
 * focus). Visually hidden controls (skip links, the file input behind its button: 1×1 px) are
 * not on screen and not counted. `within`: a CSS selector to look in (a dialog).
 */
export async function touchProblems(page: Page, within = 'body'): Promise<string[]> {
  return page.evaluate((scope) => {
    const problems: string[] = [];
    const selector = 'button, a[href], input, textarea, select, [role="button"], [role="switch"], summary';
    for (const element of Array.from(document.querySelectorAll<HTMLElement>(`${scope} :is(${selector})`))) {
      const rect = element.getBoundingClientRect();
      const box = {
        width: Math.round(rect.width),
        height: Math.round(rect.height),
        top: rect.top,
        bottom: rect.bottom,
        left: rect.left,
        right: rect.right,
      };
      if (box.width <= 1 || box.height <= 1) continue;
      if (box.bottom < 0 || box.top > window.innerHeight || box.right < 0 || box.left > window.innerWidth)
        continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || element.closest('[inert]')) continue;
      // Links inside running text (a message's links) follow the text's size, as everywhere.
      if (element.tagName === 'A' && element.closest('.message__text')) continue;
      const name = (element.getAttribute('aria-label') ?? element.textContent ?? element.tagName)
        .trim()
        .slice(0, 40);
      if (box.width < 44 || box.height < 44) {
        problems.push(`${element.tagName.toLowerCase()} "${name}" is ${box.width}×${box.height}`);
      }
      if (
        ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName) &&
        Number.parseFloat(style.fontSize) < 16
      ) {
        problems.push(`${element.tagName.toLowerCase()} "${name}" has ${style.fontSize} text`);
      }
    }
    return problems;
  }, within);
}
