import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { THEME_STORAGE_KEY } from '../../theme/theme';
import { SettingsDialog } from './SettingsDialog';
import { ThemeSection } from './ThemeSection';

const html = document.documentElement;

afterEach(() => {
  localStorage.clear();
  delete html.dataset.theme;
});

describe('ThemeSection', () => {
  it('follows the system until a theme is chosen', () => {
    render(<ThemeSection />);
    const group = screen.getByRole('group', { name: 'Theme' });
    expect(group).toHaveAccessibleDescription(/System follows your computer's light or dark setting/);
    expect(screen.getByRole('radio', { name: 'System' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Light' })).not.toBeChecked();
    expect(screen.getByRole('radio', { name: 'Dark' })).not.toBeChecked();
    expect(html.dataset.theme).toBeUndefined();
  });

  it('applies a chosen theme at once and keeps it on this device', async () => {
    const user = userEvent.setup();
    render(<ThemeSection />);
    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(screen.getByRole('radio', { name: 'Dark' })).toBeChecked();
    expect(html.dataset.theme).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    await user.click(screen.getByRole('radio', { name: 'Light' }));
    expect(html.dataset.theme).toBe('light');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
  });

  it('goes back to the system setting, forgetting the choice', async () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'light');
    html.dataset.theme = 'light';
    const user = userEvent.setup();
    render(<ThemeSection />);
    expect(screen.getByRole('radio', { name: 'Light' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: 'System' }));
    expect(html.dataset.theme).toBeUndefined();
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
  });

  it('can be driven with the arrow keys, like any radio group', async () => {
    const user = userEvent.setup();
    render(<ThemeSection />);
    screen.getByRole('radio', { name: 'System' }).focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('radio', { name: 'Light' })).toBeChecked();
    expect(html.dataset.theme).toBe('light');
  });

  it('is part of the Settings dialog, showing the stored choice', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    render(
      <SettingsDialog
        load={vi.fn(async () => ({ shareReadReceipts: true }))}
        save={vi.fn(async () => ({ shareReadReceipts: true }))}
        loadSessions={vi.fn(async () => [])}
        revokeSession={vi.fn(async () => {})}
        revokeOtherSessions={vi.fn(async () => {})}
        changePassword={vi.fn(async () => {})}
        onClose={vi.fn()}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    expect(dialog).toContainElement(screen.getByRole('group', { name: 'Theme' }));
    expect(screen.getByRole('radio', { name: 'Dark' })).toBeChecked();
  });
});
