import { cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { faviconHref, faviconSvg, useFaviconBadge } from './faviconBadge';

afterEach(cleanup);

describe('the tab icon badge', () => {
  it('is the plain icon file when nothing is unread', () => {
    expect(faviconHref(0)).toBe('/favicon.svg');
    expect(faviconSvg(0)).not.toContain('<circle');
  });

  it('shows the count up to 9, then 9+', () => {
    expect(faviconSvg(3)).toContain('>3</text>');
    expect(faviconSvg(9)).toContain('>9</text>');
    expect(faviconSvg(42)).toContain('>9+</text>');
    expect(faviconHref(2)).toMatch(/^data:image\/svg\+xml,/);
    expect(decodeURIComponent(faviconHref(2))).toContain('>2</text>');
  });

  it('follows the count on the page and goes back to the plain icon when unmounted', () => {
    const { rerender, unmount } = renderHook(({ unread }) => useFaviconBadge(unread), {
      initialProps: { unread: 4 },
    });
    const link = () => document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    expect(decodeURIComponent(link()?.getAttribute('href') ?? '')).toContain('>4</text>');
    rerender({ unread: 0 });
    expect(link()?.getAttribute('href')).toBe('/favicon.svg');
    rerender({ unread: 12 });
    expect(decodeURIComponent(link()?.getAttribute('href') ?? '')).toContain('>9+</text>');
    unmount();
    expect(link()?.getAttribute('href')).toBe('/favicon.svg');
  });
});
