import type { Member, Room, User } from '@parley/protocol';
import type { ChatState, PresenceStatus } from '../../state/ChatStore';
import { CompassIcon, ComposeIcon, Logo, PlusIcon } from '../../ui/Icons';
import type { AdminView } from '../../util/roomPath';
import { MentionsButton } from '../inbox/MentionsButton';
import { presenceOf } from '../presence/presenceOf';
import { AccountBar } from './AccountBar';
import { AdministrationSection } from './AdministrationSection';
import { JumpButton } from './JumpButton';
import { RoomLink } from './RoomLink';
import { SidebarSection } from './SidebarSection';

interface SidebarProps {
  me: User;
  rooms: Room[];
  members: Readonly<Record<string, Member[]>>;
  activeRoomId: string | null;
  unread: Readonly<Record<string, number>>;
  /** Presence frames (see `isOnline`); a DM with one person shows theirs. */
  presence?: ChatState['presence'];
  open: boolean;
  onSelect: (roomId: string) => void;
  onCreateRoom: () => void;
  onBrowse: () => void;
  onNewMessage: () => void;
  onSignOut: () => void;
  onOpenSettings: () => void;
  /** Instance admins: the Administration pages ("Failed jobs", "Audit log"). Shown only when given. */
  onOpenAdminPage?: ((page: AdminView) => void) | undefined;
  /** The admin page that is open (no room is highlighted then). */
  adminPageOpen?: AdminView | null;
  onClose: () => void;
  /** Opens the quick switcher (also Ctrl/Cmd+K); the button shows that shortcut. */
  onOpenSwitcher?: () => void;
  /** The Mentions inbox: shown when given, with its unread count. */
  mentions?: { unread: number; open: boolean; onOpen: () => void } | undefined;
}

/**
 * The rooms one is in: channels (public and private), then direct messages named after the other
 * people, each a link to `/r/<slug>` with its unread count; the active one highlighted.
 */
export function Sidebar(props: SidebarProps) {
  const { me, rooms, members, unread, open, onSelect, onClose, onOpenAdminPage } = props;
  const activeRoomId = props.adminPageOpen ? null : props.activeRoomId;
  const mine = rooms.filter((room) => room.membership !== null);
  const channels = mine.filter((room) => room.visibility !== 'dm');
  const directs = mine.filter((room) => room.visibility === 'dm');
  /** Online, away or offline, for a DM with exactly one other person whose member list is known. */
  const dmPresence = (room: Room): PresenceStatus | undefined => {
    if (room.visibility !== 'dm') return undefined;
    const others = (members[room.id] ?? []).filter((member) => member.user.id !== me.id);
    const other = others.length === 1 ? others[0] : undefined;
    return other ? presenceOf(props.presence ?? {}, other.user.id, others) : undefined;
  };
  const link = (room: Room) => (
    <RoomLink
      key={room.id}
      room={room}
      me={me}
      members={members[room.id]}
      active={room.id === activeRoomId}
      unread={unread[room.id] ?? 0}
      presence={dmPresence(room)}
      onSelect={onSelect}
    />
  );

  return (
    <>
      <nav className={`sidebar${open ? ' sidebar--open' : ''}`} aria-label="Rooms">
        <div className="sidebar__brand">
          <Logo size={28} />
          <span>Parley</span>
        </div>
        {props.onOpenSwitcher ? <JumpButton onClick={props.onOpenSwitcher} /> : null}
        <div className="sidebar__scroll">
          {props.mentions ? (
            <MentionsButton
              unread={props.mentions.unread}
              active={props.mentions.open}
              onClick={props.mentions.onOpen}
            />
          ) : null}
          <SidebarSection
            id="sidebar-channels"
            heading="Channels"
            addLabel="Create room"
            addIcon={<PlusIcon width={16} height={16} />}
            onAdd={props.onCreateRoom}
          >
            <ul className="sidebar__list">{channels.map(link)}</ul>
            <button type="button" className="sidebar__action" onClick={props.onBrowse}>
              <CompassIcon width={15} height={15} />
              <span>Browse channels</span>
            </button>
          </SidebarSection>
          <SidebarSection
            id="sidebar-dms"
            heading="Direct messages"
            addLabel="New message"
            addIcon={<ComposeIcon width={16} height={16} />}
            onAdd={props.onNewMessage}
          >
            {directs.length > 0 ? (
              <ul className="sidebar__list">{directs.map(link)}</ul>
            ) : (
              <p className="sidebar__empty">No conversations yet</p>
            )}
          </SidebarSection>
          {onOpenAdminPage ? (
            <AdministrationSection current={props.adminPageOpen ?? null} onOpen={onOpenAdminPage} />
          ) : null}
        </div>
        <AccountBar me={me} onOpenSettings={props.onOpenSettings} onSignOut={props.onSignOut} />
      </nav>
      {open ? (
        <button type="button" className="sidebar-scrim" aria-label="Close menu" onClick={onClose} />
      ) : null}
    </>
  );
}
