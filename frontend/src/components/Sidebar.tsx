import type { Room, User } from '@parley/protocol';
import { Avatar } from './Avatar';
import { HashIcon, LockIcon, Logo, LogoutIcon } from './Icons';

interface SidebarProps {
  me: User;
  rooms: Room[];
  activeRoomId: string | null;
  unread: Readonly<Record<string, number>>;
  open: boolean;
  onSelect: (roomId: string) => void;
  onSignOut: () => void;
  onClose: () => void;
}

/** Rooms (channels) and direct messages, the active one highlighted, and who is signed in. */
export function Sidebar({
  me,
  rooms,
  activeRoomId,
  unread,
  open,
  onSelect,
  onSignOut,
  onClose,
}: SidebarProps) {
  const channels = rooms.filter((room) => room.visibility !== 'dm');
  const directs = rooms.filter((room) => room.visibility === 'dm');

  const item = (room: Room) => {
    const active = room.id === activeRoomId;
    const count = active ? 0 : (unread[room.id] ?? 0);
    return (
      <li key={room.id}>
        <button
          type="button"
          className={`room-link${active ? ' room-link--active' : ''}${count > 0 ? ' room-link--unread' : ''}`}
          aria-current={active ? 'page' : undefined}
          onClick={() => onSelect(room.id)}
        >
          <span className="room-link__icon" aria-hidden="true">
            {room.visibility === 'private' ? <LockIcon width={15} height={15} /> : null}
            {room.visibility === 'public' ? <HashIcon width={15} height={15} /> : null}
            {room.visibility === 'dm' ? <Avatar userId={room.id} name={room.name} size="sm" /> : null}
          </span>
          <span className="room-link__name">{room.name}</span>
          {count > 0 ? (
            <span className="room-link__badge">
              {count > 99 ? '99+' : count}
              <span className="visually-hidden"> unread</span>
            </span>
          ) : null}
        </button>
      </li>
    );
  };

  return (
    <>
      <nav className={`sidebar${open ? ' sidebar--open' : ''}`} aria-label="Rooms">
        <div className="sidebar__brand">
          <Logo size={28} />
          <span>Parley</span>
        </div>
        <div className="sidebar__scroll">
          <section className="sidebar__section">
            <h2 className="sidebar__heading">Channels</h2>
            <ul className="sidebar__list">{channels.map(item)}</ul>
          </section>
          <section className="sidebar__section">
            <h2 className="sidebar__heading">Direct messages</h2>
            {directs.length > 0 ? (
              <ul className="sidebar__list">{directs.map(item)}</ul>
            ) : (
              <p className="sidebar__empty">No conversations yet</p>
            )}
          </section>
        </div>
        <div className="sidebar__me">
          <Avatar userId={me.id} name={me.displayName} />
          <span className="sidebar__me-text">
            <span className="sidebar__me-name">{me.displayName}</span>
            <span className="sidebar__me-handle">@{me.username}</span>
          </span>
          <button type="button" className="icon-button sidebar__signout" onClick={onSignOut} title="Sign out">
            <LogoutIcon />
            <span className="visually-hidden">Sign out</span>
          </button>
        </div>
      </nav>
      {open ? (
        <button type="button" className="sidebar-scrim" aria-label="Close menu" onClick={onClose} />
      ) : null}
    </>
  );
}
