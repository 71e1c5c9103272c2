import type { Member, Room, User } from '@parley/protocol';
import type { MouseEvent } from 'react';
import { dmOthers, roomLabel } from '../util/roomLabel';
import { DEAD_LETTERS_PATH, roomPath } from '../util/roomPath';
import { Avatar } from './Avatar';
import {
  CompassIcon,
  ComposeIcon,
  HashIcon,
  InboxAlertIcon,
  LockIcon,
  Logo,
  LogoutIcon,
  PlusIcon,
  SettingsIcon,
} from './Icons';

interface SidebarProps {
  me: User;
  rooms: Room[];
  members: Readonly<Record<string, Member[]>>;
  activeRoomId: string | null;
  unread: Readonly<Record<string, number>>;
  open: boolean;
  onSelect: (roomId: string) => void;
  onCreateRoom: () => void;
  onBrowse: () => void;
  onNewMessage: () => void;
  onSignOut: () => void;
  onOpenSettings: () => void;
  /** Instance admins: the "Failed jobs" page. Shown only when given. */
  onOpenDeadLetters?: (() => void) | undefined;
  /** The "Failed jobs" page is open (no room is highlighted then). */
  deadLettersOpen?: boolean;
  onClose: () => void;
}

/**
 * The rooms one is in: channels (public and private), then direct messages named after the other
 * people, each a link to `/r/<slug>` with its unread count; the active one highlighted.
 */
export function Sidebar(props: SidebarProps) {
  const { me, rooms, members, unread, open, onSelect, onSignOut, onClose, onOpenDeadLetters } = props;
  const activeRoomId = props.deadLettersOpen ? null : props.activeRoomId;
  const mine = rooms.filter((room) => room.membership !== null);
  const channels = mine.filter((room) => room.visibility !== 'dm');
  const directs = mine.filter((room) => room.visibility === 'dm');

  const item = (room: Room) => {
    const active = room.id === activeRoomId;
    const count = active ? 0 : (unread[room.id] ?? 0);
    const label = roomLabel(room, me, members[room.id]);
    const badgeId = `unread-${room.id}`;
    const follow = (event: MouseEvent<HTMLAnchorElement>) => {
      // A plain click switches rooms in place; with a modifier it opens a tab as links do.
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      onSelect(room.id);
    };
    const other = room.visibility === 'dm' ? dmOthers(room, me, members[room.id])[0] : undefined;
    return (
      <li key={room.id}>
        <a
          href={roomPath(room.slug)}
          data-testid="room-link"
          className={`room-link${active ? ' room-link--active' : ''}${count > 0 ? ' room-link--unread' : ''}`}
          aria-label={label}
          aria-current={active ? 'page' : undefined}
          aria-describedby={count > 0 ? badgeId : undefined}
          onClick={follow}
        >
          <span className="room-link__icon" aria-hidden="true">
            {room.visibility === 'private' ? <LockIcon width={15} height={15} /> : null}
            {room.visibility === 'public' ? <HashIcon width={15} height={15} /> : null}
            {other ? <Avatar userId={other.id} name={other.displayName} size="sm" /> : null}
          </span>
          <span className="room-link__name">{label}</span>
          {count > 0 ? (
            <>
              <span className="room-link__badge" data-testid="unread-count" aria-hidden="true">
                {count > 99 ? '99+' : count}
              </span>
              <span className="visually-hidden" id={badgeId}>
                {`${count} unread`}
              </span>
            </>
          ) : null}
        </a>
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
          <section className="sidebar__section" aria-labelledby="sidebar-channels">
            <div className="sidebar__heading-row">
              <h2 className="sidebar__heading" id="sidebar-channels">
                Channels
              </h2>
              <button
                type="button"
                className="icon-button sidebar__add"
                aria-label="Create room"
                title="Create room"
                onClick={props.onCreateRoom}
              >
                <PlusIcon width={16} height={16} />
              </button>
            </div>
            <ul className="sidebar__list">{channels.map(item)}</ul>
            <button type="button" className="sidebar__action" onClick={props.onBrowse}>
              <CompassIcon width={15} height={15} />
              <span>Browse channels</span>
            </button>
          </section>
          <section className="sidebar__section" aria-labelledby="sidebar-dms">
            <div className="sidebar__heading-row">
              <h2 className="sidebar__heading" id="sidebar-dms">
                Direct messages
              </h2>
              <button
                type="button"
                className="icon-button sidebar__add"
                aria-label="New message"
                title="New message"
                onClick={props.onNewMessage}
              >
                <ComposeIcon width={16} height={16} />
              </button>
            </div>
            {directs.length > 0 ? (
              <ul className="sidebar__list">{directs.map(item)}</ul>
            ) : (
              <p className="sidebar__empty">No conversations yet</p>
            )}
          </section>
          {onOpenDeadLetters ? (
            <section className="sidebar__section" aria-labelledby="sidebar-admin">
              <h2 className="sidebar__heading" id="sidebar-admin">
                Administration
              </h2>
              <ul className="sidebar__list">
                <li>
                  <a
                    href={DEAD_LETTERS_PATH}
                    className={`room-link${props.deadLettersOpen ? ' room-link--active' : ''}`}
                    aria-current={props.deadLettersOpen ? 'page' : undefined}
                    onClick={(event) => {
                      if (
                        event.button !== 0 ||
                        event.metaKey ||
                        event.ctrlKey ||
                        event.shiftKey ||
                        event.altKey
                      )
                        return;
                      event.preventDefault();
                      onOpenDeadLetters();
                    }}
                  >
                    <span className="room-link__icon" aria-hidden="true">
                      <InboxAlertIcon width={15} height={15} />
                    </span>
                    <span className="room-link__name">Failed jobs</span>
                  </a>
                </li>
              </ul>
            </section>
          ) : null}
        </div>
        <div className="sidebar__me">
          <Avatar userId={me.id} name={me.displayName} />
          <span className="sidebar__me-text">
            <span className="sidebar__me-name">{me.displayName}</span>
            <span className="sidebar__me-handle">@{me.username}</span>
          </span>
          <button
            type="button"
            className="icon-button sidebar__signout"
            onClick={props.onOpenSettings}
            title="Settings"
          >
            <SettingsIcon />
            <span className="visually-hidden">Settings</span>
          </button>
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
