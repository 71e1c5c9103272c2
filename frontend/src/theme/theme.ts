/**
 * The colour theme: the system's (`prefers-color-scheme`, the default) or one chosen in
 * Settings, kept in localStorage on this device. A choice is `data-theme` on <html>, which
 * `tokens.css` turns into `color-scheme: light | dark`; without one, CSS follows the system.
 */

export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

export const THEME_STORAGE_KEY = 'parley.theme';

function isThemePreference(value: unknown): value is ThemePreference {
  return typeof value === 'string' && (THEME_PREFERENCES as readonly string[]).includes(value);
}

/** Storage that is missing or disabled (private modes, sandboxed frames) reads as "none". */
function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export function readThemePreference(): ThemePreference {
  try {
    const stored = storage()?.getItem(THEME_STORAGE_KEY);
    return isThemePreference(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

export function applyThemePreference(
  preference: ThemePreference,
  root: HTMLElement = document.documentElement,
) {
  if (preference === 'system') delete root.dataset.theme;
  else root.dataset.theme = preference;
}

/** Remembers the choice on this device and applies it at once. */
export function saveThemePreference(preference: ThemePreference): void {
  try {
    if (preference === 'system') storage()?.removeItem(THEME_STORAGE_KEY);
    else storage()?.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Full or disabled storage: the choice still holds until the page is left.
  }
  applyThemePreference(preference);
}

/**
 * Applies the stored choice, and follows it when another tab changes it. Runs from the first
 * module of the bundle, before React renders, so a chosen theme never flashes the other one.
 */
export function startTheme(): void {
  applyThemePreference(readThemePreference());
  globalThis.addEventListener?.('storage', (event) => {
    if (event.key === THEME_STORAGE_KEY || event.key === null) applyThemePreference(readThemePreference());
  });
}
