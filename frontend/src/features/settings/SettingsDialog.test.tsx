import type { SessionSummary } from '@parley/protocol';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { SettingsDialog } from './SettingsDialog';

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const PHONE_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

function sessionList(): SessionSummary[] {
  return [
    {
      id: 's-phone',
      createdAt: ago(5 * 24 * HOUR),
      lastSeenAt: ago(3 * HOUR),
      expiresAt: ago(-10 * 24 * HOUR),
      current: false,
      userAgent: PHONE_CHROME,
    },
    {
      id: 's-here',
      createdAt: ago(2 * 24 * HOUR),
      lastSeenAt: ago(HOUR / 2),
      expiresAt: ago(-14 * 24 * HOUR),
      current: true,
      userAgent: FIREFOX,
    },
    { id: 's-script', createdAt: ago(20 * 24 * HOUR), expiresAt: ago(-10 * HOUR), current: false },
  ];
}

function renderSettings(
  overrides: Partial<Parameters<typeof SettingsDialog>[0]> = {},
  sessions: SessionSummary[] = sessionList(),
) {
  const props = {
    load: vi.fn(async () => ({ shareReadReceipts: true })),
    save: vi.fn(async (changes: { shareReadReceipts?: boolean }) => ({
      shareReadReceipts: changes.shareReadReceipts ?? true,
    })),
    loadSessions: vi.fn(async () => sessions),
    revokeSession: vi.fn(async (_id: string) => {}),
    revokeOtherSessions: vi.fn(async () => {}),
    changePassword: vi.fn(async (_body: { currentPassword: string; newPassword: string }) => {}),
    onClose: vi.fn(),
    ...overrides,
  };
  render(<SettingsDialog {...props} />);
  return { ...props, user: userEvent.setup() };
}

const sessionsList = async () => within(await screen.findByRole('list'));

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
    const { user } = renderSettings({ save });
    const toggle = screen.getByRole('switch', { name: 'Share read receipts' });
    await waitFor(() => expect(toggle).toBeEnabled());
    await user.click(toggle);
    expect(await screen.findByRole('alert')).toHaveTextContent('The server is restarting.');
    expect(toggle).toBeChecked();
  });
});

describe('SettingsDialog: sessions', () => {
  it('lists the sessions, this device first and marked, with relative times', async () => {
    renderSettings();
    const items = (await sessionsList()).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent('Firefox on Windows');
    expect(items[0]).toHaveTextContent('This device');
    expect(items[0]).toHaveTextContent(/Signed in 2 days ago · active now/);
    expect(within(items[0] as HTMLElement).queryByRole('button')).toBeNull();
    expect(items[1]).toHaveTextContent('Chrome on Android');
    expect(items[1]).toHaveTextContent(/Signed in 5 days ago · last active 3 hours ago/);
    expect(items[2]).toHaveTextContent('Unknown device');
    expect(items[2]).toHaveTextContent(/not used lately/);
  });

  it('signs one other session out and takes it off the list', async () => {
    const { revokeSession, user } = renderSettings();
    const list = await sessionsList();
    await user.click(list.getByRole('button', { name: 'Sign out Chrome on Android' }));
    expect(revokeSession).toHaveBeenCalledWith('s-phone');
    await waitFor(() => expect(screen.queryByText('Chrome on Android')).toBeNull());
    expect(screen.getByText('Firefox on Windows')).toBeInTheDocument();
  });

  it('signs out everywhere else, leaving only this device', async () => {
    const { revokeOtherSessions, user } = renderSettings();
    await sessionsList();
    await user.click(screen.getByRole('button', { name: 'Sign out everywhere else' }));
    expect(revokeOtherSessions).toHaveBeenCalledOnce();
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1));
    expect(screen.getByText('You are signed in only here.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign out everywhere else' })).toBeDisabled();
  });

  it('says why a sign-out failed', async () => {
    const revokeSession = vi
      .fn()
      .mockRejectedValue(new ApiError('network_error', 'Could not reach the server. Check your connection.'));
    const { user } = renderSettings({ revokeSession });
    const list = await sessionsList();
    await user.click(list.getByRole('button', { name: 'Sign out Chrome on Android' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not reach the server.');
    expect(screen.getByText('Chrome on Android')).toBeInTheDocument();
  });
});

describe('SettingsDialog: change password', () => {
  const fill = async (
    user: ReturnType<typeof userEvent.setup>,
    current: string,
    next: string,
    repeat = next,
  ) => {
    if (current) await user.type(screen.getByLabelText('Current password'), current);
    if (next) await user.type(screen.getByLabelText('New password'), next);
    if (repeat) await user.type(screen.getByLabelText('Repeat new password'), repeat);
    await user.click(screen.getByRole('button', { name: 'Change password' }));
  };

  it('ties each mistake to its field before asking the server', async () => {
    const { changePassword, user } = renderSettings();
    await fill(user, '', 'short', 'shorter');
    const current = screen.getByLabelText('Current password');
    expect(current).toHaveAttribute('aria-invalid', 'true');
    expect(current).toHaveAccessibleDescription('Type your current password.');
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('Use at least 8 characters.');
    expect(changePassword).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText('New password'));
    await user.clear(screen.getByLabelText('Repeat new password'));
    await fill(user, 'old password', 'a new passphrase', 'a new passfrase');
    expect(screen.getByLabelText('Repeat new password')).toHaveAccessibleDescription(
      'The two new passwords do not match.',
    );
    expect(changePassword).not.toHaveBeenCalled();
  });

  it('shows a wrong current password under that field', async () => {
    const changePassword = vi.fn().mockRejectedValue(
      new ApiError('forbidden', 'That is not your current password.', {
        status: 403,
        fields: [{ path: 'currentPassword', message: 'is not your current password' }],
      }),
    );
    const { user } = renderSettings({ changePassword });
    await fill(user, 'not my password', 'a new passphrase');
    expect(changePassword).toHaveBeenCalledWith({
      currentPassword: 'not my password',
      newPassword: 'a new passphrase',
    });
    expect(await screen.findByLabelText('Current password')).toHaveAccessibleDescription(
      'That is not your current password.',
    );
  });

  it('says when to try again after too many wrong passwords', async () => {
    const changePassword = vi.fn().mockRejectedValue(
      new ApiError('rate_limited', 'Too many requests; slow down.', {
        status: 429,
        retryAfterSeconds: 600,
      }),
    );
    const { user } = renderSettings({ changePassword });
    await fill(user, 'guess', 'a new passphrase');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many wrong passwords. Try again in 10 minutes.',
    );
  });

  it('changes the password, clears the form and reloads the sessions', async () => {
    const { changePassword, loadSessions, user } = renderSettings();
    await sessionsList();
    expect(loadSessions).toHaveBeenCalledTimes(1);
    await fill(user, 'old password', 'a new passphrase');
    expect(changePassword).toHaveBeenCalledWith({
      currentPassword: 'old password',
      newPassword: 'a new passphrase',
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Password changed. Your other sessions were signed out.',
    );
    expect(screen.getByLabelText('Current password')).toHaveValue('');
    await waitFor(() => expect(loadSessions).toHaveBeenCalledTimes(2));
  });
});
