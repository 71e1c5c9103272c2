import type { Member, Room, RoomRole } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { me, meRef, sam } from '../../test/fixtures';
import { MembersDialog } from './MembersDialog';

const lea = { id: 'u-lea', username: 'lea', displayName: 'Léa Martin' };
const ben = { id: 'u-ben', username: 'ben', displayName: 'Ben Ode' };

const room = (membership: RoomRole, visibility: Room['visibility'] = 'private'): Room => ({
  id: 'r-ops',
  slug: 'ops',
  name: 'ops',
  topic: '',
  visibility,
  lastSeq: 3,
  membership,
});

function members(myRole: RoomRole): Member[] {
  const roles: [typeof meRef, RoomRole][] = [
    [meRef, myRole],
    [sam, myRole === 'owner' ? 'admin' : 'owner'],
    [lea, myRole === 'admin' ? 'admin' : 'member'],
    [ben, 'member'],
  ];
  return roles.map(([user, role]) => ({
    user: { ...user, role: 'member', avatarUrl: null },
    role,
    joinedAt: '2025-01-01T00:00:00.000Z',
  }));
}

function renderPanel(myRole: RoomRole, overrides: Partial<Parameters<typeof MembersDialog>[0]> = {}) {
  const actions = {
    onAdd: vi.fn(async () => undefined),
    onRemove: vi.fn(async () => undefined),
    onSetRole: vi.fn(async () => undefined),
    onLeave: vi.fn(async () => undefined),
    onClose: vi.fn(),
  };
  render(
    <MembersDialog
      room={room(myRole)}
      title="ops"
      me={me}
      members={members(myRole)}
      {...actions}
      {...overrides}
    />,
  );
  return { ...actions, user: userEvent.setup() };
}

const row = (name: string) =>
  screen.getAllByTestId('member').find((item) => item.textContent?.includes(name)) as HTMLElement;

describe('MembersDialog', () => {
  it('lets the owner add people, remove anyone but the owner, and promote or demote', async () => {
    const { onRemove, onSetRole, onAdd, user } = renderPanel('owner');
    expect(within(row('Maya Chen')).queryByRole('button')).toBeNull();
    expect(within(row('Maya Chen')).getByText('Owner')).toBeInTheDocument();
    expect(within(row('Sam Okafor')).getByText('Admin')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Remove Ben Ode' }));
    expect(onRemove).toHaveBeenCalledWith('u-ben');
    await user.click(within(row('Sam Okafor')).getByRole('button', { name: 'Remove admin' }));
    expect(onSetRole).toHaveBeenCalledWith('u-sam', 'member');
    await user.click(within(row('Léa Martin')).getByRole('button', { name: 'Make admin' }));
    expect(onSetRole).toHaveBeenCalledWith('u-lea', 'admin');

    await user.type(screen.getByLabelText('Username'), 'zoe');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(onAdd).toHaveBeenCalledWith('zoe');
  });

  it('shows a plain member the list and Leave room, but no way to add or remove', () => {
    renderPanel('member');
    expect(screen.getAllByTestId('member')).toHaveLength(4);
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Make admin' })).toBeNull();
    expect(screen.queryByLabelText('Username')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Leave room' })).toBeInTheDocument();
  });

  it('lets an admin remove plain members only, and not change roles', () => {
    renderPanel('admin');
    expect(screen.getByRole('button', { name: 'Remove Ben Ode' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove Léa Martin' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove Sam Okafor' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Make admin' })).toBeNull();
  });

  it('says when no user has the name typed', async () => {
    const onAdd = vi.fn().mockRejectedValue(new ApiError('not_found', 'No such user.', { status: 404 }));
    const { user } = renderPanel('owner', { onAdd });
    await user.type(screen.getByLabelText('Username'), 'ghost');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText('No user named ghost.')).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription('No user named ghost.');
    expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
  });

  it('ties an empty or malformed username to the field, in plain words', async () => {
    const onAdd = vi.fn().mockRejectedValue(
      new ApiError('validation_failed', 'Invalid request: username must be at most 256 characters.', {
        status: 400,
        fields: [{ path: 'username', message: 'must be at most 256 characters' }],
      }),
    );
    const { user } = renderPanel('owner', { onAdd });
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription(
      'Type the username of the person to add.',
    );
    expect(onAdd).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Username'), 'x'.repeat(20));
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText('Use at most 256 characters.')).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription('Use at most 256 characters.');
  });

  it('offers no Leave room in a direct message', () => {
    renderPanel('member', { room: room('member', 'dm') });
    expect(screen.queryByRole('button', { name: 'Leave room' })).toBeNull();
  });

  it('shows who is online: the list’s own answer, overridden by later presence frames, in words too', () => {
    const list = members('member').map((member) => ({
      ...member,
      online: member.user.id === sam.id || member.user.id === lea.id,
    }));
    renderPanel('member', {
      members: list,
      presence: { [lea.id]: 'offline', [ben.id]: 'online', [sam.id]: 'away' },
    });
    const status = (name: string) => within(row(name)).getByTestId('presence-dot');
    expect(status('Sam Okafor')).toHaveAttribute('data-status', 'away');
    expect(status('Sam Okafor')).toHaveTextContent('away');
    expect(status('Léa Martin')).toHaveAttribute('data-online', 'false');
    expect(status('Léa Martin')).toHaveTextContent('offline');
    expect(status('Ben Ode')).toHaveAttribute('data-online', 'true');
    expect(status('Maya Chen')).toHaveAttribute('data-online', 'true'); // oneself
  });
});
