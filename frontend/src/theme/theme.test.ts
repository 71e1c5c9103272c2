import { afterEach, describe, expect, it, vi } from 'vitest';
import { readThemePreference, saveThemePreference, startTheme, THEME_STORAGE_KEY } from './theme';

const html = document.documentElement;

afterEach(() => {
  localStorage.clear();
  delete html.dataset.theme;
});

describe('the theme preference', () => {
  it('is the system one unless a known theme is stored', () => {
    expect(readThemePreference()).toBe('system');
    localStorage.setItem(THEME_STORAGE_KEY, 'sepia');
    expect(readThemePreference()).toBe('system');
    localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    expect(readThemePreference()).toBe('dark');
  });

  it('is put on <html> when the app starts, and follows a change made in another tab', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    startTheme();
    expect(html.dataset.theme).toBe('dark');

    localStorage.setItem(THEME_STORAGE_KEY, 'light');
    window.dispatchEvent(new StorageEvent('storage', { key: THEME_STORAGE_KEY }));
    expect(html.dataset.theme).toBe('light');
  });

  it('still applies when storage refuses to keep it', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    saveThemePreference('dark');
    expect(html.dataset.theme).toBe('dark');
  });
});
