import type { Member, Room } from '@parley/protocol';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { me, meRef, sam } from '../../test/fixtures';
import { Sidebar } from './Sidebar';

const room = (id: string, name: string, visibility: Room['visibility'], extra: Partial<Room> = {}): Room => ({
  id,
  slug: visibility === 'dm' ? `dm-${id}` : id,
  name,
  topic: '',
  visibility,
  lastSeq: 5,
  membership: 'member',
  ...extra,
});

const rooms: Room[] = [
  room('general', 'general', 'public'),
  room('design', 'design', 'public'),
  room('ops', 'ops-oncall', 'private'),
  room('random', 'random', 'public', { membership: null }),
  room('d1', 'Maya Chen, Sam Okafor', 'dm'),
  room('d2', 'Léa Martin, Maya Chen', 'dm'),
];

const dmMembers: Record<string, Member[]> = {
  d1: [
    { user: { ...meRef, role: 'member', avatarUrl: null }, role: 'member', joinedAt: '' },
    { user: { ...sam, role: 'member', avatarUrl: null }, role: 'member', joinedAt: '' },
  ],
};

function renderSidebar(
  unread: Record<string, number> = {},
  extra: Partial<Parameters<typeof Sidebar>[0]> = {},
) {
  const onSelect = vi.fn();
  render(
    <Sidebar
      me={me}
      rooms={rooms}
      members={dmMembers}
      activeRoomId="general"
      unread={unread}
      open={false}
      onSelect={onSelect}
      onCreateRoom={vi.fn()}
      onBrowse={vi.fn()}
      onNewMessage={vi.fn()}
      onSignOut={vi.fn()}
      onOpenSettings={vi.fn()}
      onClose={vi.fn()}
      {...extra}
    />,
  );
  return { onSelect };
}

const section = (name: string) => screen.getByRole('region', { name });
const linkNames = (region: HTMLElement) =>
  within(region)
    .getAllByTestId('room-link')
    .map((link) => link.querySelector('.room-link__name')?.textContent);

describe('Sidebar', () => {
  it('lists the channels one is in, then direct messages named after the other people', () => {
    renderSidebar();
    expect(linkNames(section('Channels'))).toEqual(['general', 'design', 'ops-oncall']);
    // Named from the member list (d1) or, before it loads, from the DM's name without one's own (d2).
    expect(linkNames(section('Direct messages'))).toEqual(['Sam Okafor', 'Léa Martin']);
    expect(screen.queryByRole('link', { name: 'random' })).toBeNull();
    expect(screen.getByRole('link', { name: 'ops-oncall' })).toHaveAttribute('href', '/r/ops');
    expect(screen.getByRole('link', { name: 'Sam Okafor' })).toHaveAttribute('href', '/r/dm-d1');
  });

  it('highlights the active room and shows unread badges on the others only', () => {
    renderSidebar({ general: 4, design: 2, d1: 120 });
    expect(screen.getByRole('link', { name: 'general' })).toHaveAttribute('aria-current', 'page');
    expect(within(screen.getByRole('link', { name: 'general' })).queryByTestId('unread-count')).toBeNull();
    // The accessible name holds the badge's number as well as the room's name (WCAG 2.5.3).
    expect(
      within(screen.getByRole('link', { name: 'design 2 unread' })).getByTestId('unread-count'),
    ).toHaveTextContent('2');
    expect(
      within(screen.getByRole('link', { name: 'Sam Okafor 99+ unread' })).getByTestId('unread-count'),
    ).toHaveTextContent('99+');
    expect(within(screen.getByRole('link', { name: 'ops-oncall' })).queryByTestId('unread-count')).toBeNull();
  });

  it('switches rooms in place on a click', async () => {
    const { onSelect } = renderSidebar();
    await userEvent.setup().click(screen.getByRole('link', { name: 'Léa Martin' }));
    expect(onSelect).toHaveBeenCalledWith('d2');
  });

  it('opens the settings from the user area', async () => {
    const onOpenSettings = vi.fn();
    renderSidebar({}, { onOpenSettings });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Settings' }));
    expect(onOpenSettings).toHaveBeenCalled();
  });

  it('shows Failed jobs and Audit log to instance admins only', async () => {
    renderSidebar();
    expect(screen.queryByRole('link', { name: 'Failed jobs' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Audit log' })).toBeNull();
    cleanup();
    const onOpenAdminPage = vi.fn();
    renderSidebar({}, { onOpenAdminPage, adminPageOpen: 'deadLetters' });
    const link = screen.getByRole('link', { name: 'Failed jobs' });
    expect(link).toHaveAttribute('href', '/admin/failed-jobs');
    expect(link).toHaveAttribute('aria-current', 'page');
    const audit = screen.getByRole('link', { name: 'Audit log' });
    expect(audit).toHaveAttribute('href', '/admin/audit-log');
    expect(audit).not.toHaveAttribute('aria-current');
    expect(screen.getByRole('link', { name: 'general' })).not.toHaveAttribute('aria-current');
    const user = userEvent.setup();
    await user.click(link);
    expect(onOpenAdminPage).toHaveBeenCalledWith('deadLetters');
    await user.click(audit);
    expect(onOpenAdminPage).toHaveBeenCalledWith('auditLog');
  });

  it('says beside a DM whether its person is online, and dims a muted room', () => {
    cleanup();
    const online = { ...dmMembers, d1: dmMembers.d1?.map((member) => ({ ...member, online: true })) ?? [] };
    renderSidebar({}, { members: online });
    const dm = screen.getByRole('link', { name: 'Sam Okafor', description: 'online' });
    expect(within(dm).getByTestId('presence-dot')).toHaveAttribute('data-online', 'true');
    cleanup();
    renderSidebar({}, { members: online, presence: { [sam.id]: 'offline' } });
    expect(screen.getByRole('link', { name: 'Sam Okafor', description: 'offline' })).toBeInTheDocument();
    cleanup();
    renderSidebar(
      {},
      { rooms: rooms.map((r) => (r.id === 'design' ? { ...r, notifyLevel: 'mute' as const } : r)) },
    );
    expect(screen.getByRole('link', { name: 'design', description: 'muted' })).toHaveClass(
      'room-link--muted',
    );
  });
});
