import { defaultNotifyLevel, type NotifyLevel, type Room } from '@parley/protocol';
import type { ConnectionStatus as Status } from '../../realtime/ConnectionManager';
import { Avatar } from '../../ui/Avatar';
import { ConnectionStatus } from '../../ui/ConnectionStatus';
import { EditIcon, HashIcon, LockIcon, MenuIcon, SearchIcon, UsersIcon } from '../../ui/Icons';
import { NotificationLevelMenu } from '../notifications/NotificationLevelMenu';
import { SEARCH_BUTTON_CLASS } from '../search/useSearchPanel';

interface RoomHeaderProps {
  room: Room | undefined;
  /** Shown as the title when no room is open and none is loading (a link to a room one cannot open). */
  noRoomTitle?: string | undefined;
  /** The room's name as shown (a DM's other people). */
  title: string;
  /** The other person of a DM, for its avatar. */
  dmPerson?: { id: string; displayName: string; avatarUrl?: string | null } | undefined;
  memberCount: number | undefined;
  /** The owner and admins may rename the room and change its topic. */
  canEdit: boolean;
  connection: Status;
  onOpenMenu: () => void;
  onReconnect: () => void;
  onEditRoom: () => void;
  onOpenMembers: () => void;
  /** Opens message search (also the "/" key). */
  onSearch?: () => void;
  /** One's notification level in the room (members only). */
  onSetNotifyLevel?: (level: NotifyLevel) => void;
}

export function RoomHeader(props: RoomHeaderProps) {
  const { room, title, dmPerson, memberCount, canEdit, connection } = props;
  return (
    <header className="room-header">
      <button
        type="button"
        className="icon-button room-header__menu"
        aria-label="Open rooms"
        onClick={props.onOpenMenu}
      >
        <MenuIcon />
      </button>
      <div className="room-header__title">
        <h1>
          <span className="room-header__icon" aria-hidden="true">
            {room?.visibility === 'private' ? <LockIcon width={18} height={18} /> : null}
            {room?.visibility === 'public' ? <HashIcon width={18} height={18} /> : null}
            {dmPerson ? (
              <Avatar userId={dmPerson.id} name={dmPerson.displayName} url={dmPerson.avatarUrl} size="sm" />
            ) : null}
          </span>
          <span className="room-header__name">{room ? title : (props.noRoomTitle ?? 'Loading…')}</span>
        </h1>
        {canEdit ? (
          <button
            type="button"
            className={`room-header__topic room-header__topic--editable${room?.topic ? '' : ' room-header__topic--empty'}`}
            title={room?.topic || 'Add a topic'}
            aria-label="Edit room"
            onClick={props.onEditRoom}
          >
            <span className="room-header__topic-text">{room?.topic || 'Add a topic'}</span>
            <EditIcon width={13} height={13} />
          </button>
        ) : room?.topic ? (
          <p className="room-header__topic" title={room.topic}>
            {room.topic}
          </p>
        ) : null}
      </div>
      {props.onSearch ? (
        <button
          type="button"
          className={`icon-button ${SEARCH_BUTTON_CLASS}`}
          aria-label="Search messages"
          aria-keyshortcuts="/"
          title="Search messages ( / )"
          onClick={props.onSearch}
        >
          <SearchIcon />
        </button>
      ) : null}
      {room && room.membership !== null && props.onSetNotifyLevel ? (
        <NotificationLevelMenu
          level={room.notifyLevel ?? defaultNotifyLevel(room.visibility)}
          onChange={props.onSetNotifyLevel}
        />
      ) : null}
      {room ? (
        <button
          type="button"
          className="members-button"
          aria-label={memberCount === undefined ? 'Members' : `${memberCount} members`}
          title="Members"
          onClick={props.onOpenMembers}
        >
          <UsersIcon width={16} height={16} />
          {memberCount !== undefined ? <span aria-hidden="true">{memberCount}</span> : null}
        </button>
      ) : null}
      <ConnectionStatus status={connection} onReconnect={props.onReconnect} />
    </header>
  );
}
