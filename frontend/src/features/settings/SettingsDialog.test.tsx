import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { SettingsDialog } from './SettingsDialog';

function renderSettings(
  save = vi.fn(async (changes: { shareReadReceipts?: boolean }) => ({
    shareReadReceipts: changes.shareReadReceipts ?? true,
  })),
) {
  const load = vi.fn(async () => ({ shareReadReceipts: true }));
  render(<SettingsDialog load={load} save={save} onClose={vi.fn()} />);
  return { load, save, user: userEvent.setup() };
}

describe('SettingsDialog', () => {
  it('shows the saved setting and saves a change at once', async () => {
    const { save, user } = renderSettings();
    const toggle = screen.getByRole('switch', { name: 'Share read receipts' });
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).toBeChecked();

    await user.click(toggle);
    expect(save).toHaveBeenCalledWith({ shareReadReceipts: false });
    await waitFor(() => expect(toggle).not.toBeChecked());
    expect(screen.getByText(/Nobody sees when you read their messages/)).toBeInTheDocument();
  });

  it('moves the switch back and says why when the server refuses', async () => {
    const save = vi
      .fn()
      .mockRejectedValue(new ApiError('unavailable', 'The server is restarting.', { status: 503 }));
    const { user } = renderSettings(save);
    const toggle = screen.getByRole('switch', { name: 'Share read receipts' });
    await waitFor(() => expect(toggle).toBeEnabled());
    await user.click(toggle);
    expect(await screen.findByRole('alert')).toHaveTextContent('The server is restarting.');
    expect(toggle).toBeChecked();
  });
});
