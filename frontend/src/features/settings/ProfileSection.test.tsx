import type { User } from '@parley/protocol';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { me } from '../../test/fixtures';
import { type ProfileActions, ProfileSection } from './ProfileSection';

/** The section as the app holds it: the user it shows is what the last call answered. */
function Harness(actions: Omit<ProfileActions, 'me'>) {
  const [user, setUser] = useState<User>(me);
  const keep = async (call: Promise<User>) => {
    const next = await call;
    setUser(next);
    return next;
  };
  return (
    <ProfileSection
      me={user}
      rename={(name) => keep(actions.rename(name))}
      setAvatar={(image) => keep(actions.setAvatar(image))}
      removeAvatar={() => keep(actions.removeAvatar())}
    />
  );
}

function renderProfile(overrides: Partial<Omit<ProfileActions, 'me'>> = {}) {
  const actions = {
    rename: vi.fn(async (displayName: string): Promise<User> => ({ ...me, displayName })),
    setAvatar: vi.fn(async (_image: Blob): Promise<User> => ({ ...me, avatarUrl: '/users/u-me/avatar/v2' })),
    removeAvatar: vi.fn(async (): Promise<User> => ({ ...me, avatarUrl: null })),
    ...overrides,
  };
  render(<Harness {...actions} />);
  return { ...actions, user: userEvent.setup() };
}

const nameField = () => screen.getByLabelText('Display name');
const png = (bytes = 10) => new File([new Uint8Array(bytes)], 'me.png', { type: 'image/png' });

describe('ProfileSection', () => {
  it('saves a trimmed display name and says so', async () => {
    const { rename, user } = renderProfile();
    await user.clear(nameField());
    await user.type(nameField(), '  Maya C.  ');
    await user.click(screen.getByRole('button', { name: 'Save name' }));
    expect(rename).toHaveBeenCalledWith('Maya C.');
    expect(await screen.findByText('Display name saved.')).toBeTruthy();
    expect((nameField() as HTMLInputElement).value).toBe('Maya C.');
  });

  it('says what is wrong under the field, tied to it, without calling the server', async () => {
    const { rename, user } = renderProfile();
    await user.clear(nameField());
    await user.type(nameField(), 'x'.repeat(65));
    await user.click(screen.getByRole('button', { name: 'Save name' }));
    expect(rename).not.toHaveBeenCalled();
    const field = nameField();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const note = document.getElementById(field.getAttribute('aria-describedby') ?? '');
    expect(note?.textContent).toBe('Your display name must be at most 64 characters.');
  });

  it('shows the server’s refusal of the name under the field', async () => {
    const refusal = new ApiError('validation_failed', 'displayName must not contain control characters', {
      status: 400,
      fields: [{ path: 'displayName', message: 'must not contain control characters' }],
    });
    const { user } = renderProfile({ rename: vi.fn(async () => Promise.reject(refusal)) });
    await user.type(nameField(), '!');
    await user.click(screen.getByRole('button', { name: 'Save name' }));
    const note = document.getElementById(nameField().getAttribute('aria-describedby') ?? '');
    await waitFor(() =>
      expect(note?.textContent).toBe('Your display name must not contain control characters.'),
    );
  });

  it('previews a picked picture, sends it on confirmation, then offers to remove it', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:preview');
    URL.revokeObjectURL = vi.fn();
    const { setAvatar, removeAvatar, user } = renderProfile();
    const file = png();
    await user.upload(screen.getByTestId('avatar-file'), file);
    expect(screen.getByAltText('How your new avatar will look').getAttribute('src')).toBe('blob:preview');
    expect(setAvatar).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Use this picture' }));
    expect(setAvatar).toHaveBeenCalledWith(file);
    expect(await screen.findByText('Picture saved.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    expect(removeAvatar).toHaveBeenCalled();
    expect(await screen.findByRole('button', { name: 'Choose picture…' })).toBeTruthy();
  });

  it('refuses a picture over 5 MB before sending it, and says why beside the picker', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:preview');
    const { setAvatar, user } = renderProfile();
    await user.upload(screen.getByTestId('avatar-file'), png(5 * 1024 * 1024 + 1));
    expect(setAvatar).not.toHaveBeenCalled();
    const picker = screen.getByRole('button', { name: 'Choose picture…' });
    const note = document.getElementById(picker.getAttribute('aria-describedby') ?? '');
    expect(note?.textContent).toBe('That picture is over 5 MB; choose a smaller one.');
  });

  it('explains the server’s 415 for a file that is not really a picture', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:preview');
    const refusal = new ApiError('unsupported_media_type', 'An avatar must be a PNG…', { status: 415 });
    const { user } = renderProfile({ setAvatar: vi.fn(async () => Promise.reject(refusal)) });
    await user.upload(screen.getByTestId('avatar-file'), png());
    await user.click(screen.getByRole('button', { name: 'Use this picture' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'That file is not a PNG, JPEG, WebP or GIF picture.',
    );
  });
});
