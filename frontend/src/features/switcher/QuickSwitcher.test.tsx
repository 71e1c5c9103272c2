import type { Room, UserRef } from '@parley/protocol';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { me } from '../../test/fixtures';
import { QuickSwitcher } from './QuickSwitcher';

const room = (id: string, name: string, extra: Partial<Room> = {}): Room => ({
  id,
  slug: name,
  name,
  topic: '',
  visibility: 'public',
  lastSeq: 1,
  membership: 'member',
  ...extra,
});

const rooms = [
  room('g', 'general'),
  room('d', 'design-crit'),
  room('r', 'random', { membership: null }),
  room('o', 'ops-oncall', { visibility: 'private' }),
];
const grace: UserRef = { id: 'u-grace', username: 'grace', displayName: 'Grace Hopper' };

function renderSwitcher(searchUsers = vi.fn(async (_text: string): Promise<UserRef[]> => [])) {
  const onOpenRoom = vi.fn(async () => undefined);
  const onOpenPerson = vi.fn(async () => undefined);
  const onClose = vi.fn();
  render(
    <QuickSwitcher
      rooms={rooms}
      me={me}
      members={{}}
      unread={{ o: 3 }}
      searchUsers={searchUsers}
      onOpenRoom={onOpenRoom}
      onOpenPerson={onOpenPerson}
      onClose={onClose}
    />,
  );
  const input = screen.getByRole('combobox', { name: 'Find a room or a person' });
  return { input, onOpenRoom, onOpenPerson, onClose, searchUsers, user: userEvent.setup() };
}

const optionNames = () => screen.getAllByRole('option').map((option) => option.textContent);

describe('QuickSwitcher', () => {
  it('is a combobox with the focus, listing rooms with unread ones first', () => {
    const { input } = renderSwitcher();
    expect(input).toHaveFocus();
    expect(input).toHaveAttribute('aria-expanded', 'true');
    expect(optionNames()[0]).toContain('ops-oncall');
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[0]?.id);
  });

  it('matches fuzzily, moves with the arrows and opens the active room on Enter', async () => {
    const { input, onOpenRoom, onClose, user } = renderSwitcher();
    await user.type(input, 'dsgn');
    expect(optionNames()).toEqual(['design-crit']);
    await user.clear(input);
    await user.type(input, 'r');
    const options = screen.getAllByRole('option');
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}');
    expect(screen.getAllByRole('option')[1]).toHaveAttribute('aria-selected', 'true');
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[1]?.id);
    await user.keyboard('{ArrowUp}{ArrowUp}');
    const last = screen.getAllByRole('option').at(-1);
    expect(last).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    const picked = rooms.find((candidate) => last?.textContent?.includes(candidate.name));
    expect(onOpenRoom).toHaveBeenCalledWith(picked);
    expect(onClose).toHaveBeenCalled();
  });

  it('finds people on the server and opens a DM with the one picked', async () => {
    const search = vi.fn(async (text: string) => (text === 'grace' ? [grace, { ...me }] : []));
    const { input, onOpenPerson, user } = renderSwitcher(search);
    await user.type(input, 'grace');
    await waitFor(() => expect(optionNames()).toEqual([expect.stringContaining('Grace Hopper')]));
    await user.keyboard('{Enter}');
    expect(onOpenPerson).toHaveBeenCalledWith(grace);
  });

  it('says when nothing matches, and closes on Escape', async () => {
    const { input, onClose, user } = renderSwitcher();
    await user.type(input, 'zzz');
    expect(screen.getByText('Nothing matches “zzz”.')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-expanded', 'false');
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });
});
