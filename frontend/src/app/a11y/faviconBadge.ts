import { useEffect } from 'react';

/**
 * The tab's icon with a badge when something is unread, as Slack and Zulip do: a pinned or
 * background tab shows its title cut short, but its icon always shows. Built as an SVG string
 * (no canvas), the same drawing as `public/favicon.svg` with a coral dot, and a count up to 9.
 */
const BUBBLE =
  'M9 10.5A2.5 2.5 0 0 1 11.5 8h9A2.5 2.5 0 0 1 23 10.5v6a2.5 2.5 0 0 1-2.5 2.5H15l-4.2 3.6c-.5.4-1.3.1-1.3-.6V19a2.5 2.5 0 0 1-.5-1.5z';
const PLAIN_ICON = '/favicon.svg';

export function faviconSvg(unread: number): string {
  const base = `<rect width="32" height="32" rx="8" fill="#4b2e83"/><path d="${BUBBLE}" fill="#fff"/>`;
  if (unread <= 0) return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${base}</svg>`;
  const label = unread > 9 ? '9+' : String(unread);
  const fontSize = label.length > 1 ? 9.5 : 12;
  const badge =
    `<circle cx="23.5" cy="8.5" r="8.5" fill="#e5484d" stroke="#4b2e83" stroke-width="1.5"/>` +
    `<text x="23.5" y="12.6" text-anchor="middle" font-family="system-ui,sans-serif" font-weight="700" ` +
    `font-size="${fontSize}" fill="#fff">${label}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${base}${badge}</svg>`;
}

/** The `href` for the icon link: the static file when nothing is unread (the browser has it cached). */
export function faviconHref(unread: number): string {
  if (unread <= 0) return PLAIN_ICON;
  return `data:image/svg+xml,${encodeURIComponent(faviconSvg(unread))}`;
}

function iconLink(): HTMLLinkElement {
  const existing = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (existing) return existing;
  const link = document.createElement('link');
  link.rel = 'icon';
  link.type = 'image/svg+xml';
  document.head.append(link);
  return link;
}

/** Keeps the tab icon's badge in step with the unread count; back to the plain icon on sign-out. */
export function useFaviconBadge(unread: number): void {
  useEffect(() => {
    iconLink().href = faviconHref(unread);
  }, [unread]);
  useEffect(
    () => () => {
      iconLink().href = PLAIN_ICON;
    },
    [],
  );
}
