import type { Member, Room, User } from '@parley/protocol';
import { type MouseEvent, useId } from 'react';
import type { PresenceStatus } from '../../state/ChatStore';
import { Avatar } from '../../ui/Avatar';
import { HashIcon, LockIcon } from '../../ui/Icons';
import { dmOthers, roomLabel } from '../../util/roomLabel';
import { roomPath } from '../../util/roomPath';
import { PresenceDot } from '../presence/PresenceDot';
import { isPlainClick } from './isPlainClick';

interface RoomLinkProps {
  room: Room;
  me: User;
  members: Member[] | undefined;
  active: boolean;
  /** Messages of others since one last read the room (not shown on the open room). */
  unread: number;
  /** For a DM with one person: their presence (undefined: not known yet). */
  presence?: PresenceStatus | undefined;
  onSelect: (roomId: string) => void;
}

/** One room of the sidebar: a link to `/r/<slug>` with its icon (a DM's person), name and unread count. */
export function RoomLink({ room, me, members, active, unread, presence, onSelect }: RoomLinkProps) {
  const count = active ? 0 : unread;
  const label = roomLabel(room, me, members);
  const badge = count > 99 ? '99+' : String(count);
  const muted = room.notifyLevel === 'mute';
  // The link is named by what it shows (name, then the badge's number and a hidden "unread"),
  // so the name always contains the visible text; presence and muting are its description.
  // Presence and muting are said after the name, as its description.
  const description = [presence ?? '', muted ? 'muted' : ''].filter(Boolean).join(', ');
  const descriptionId = useId();
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    onSelect(room.id);
  };
  const other = room.visibility === 'dm' ? dmOthers(room, me, members)[0] : undefined;
  return (
    <li>
      <a
        href={roomPath(room.slug)}
        data-testid="room-link"
        className={`room-link${active ? ' room-link--active' : ''}${count > 0 ? ' room-link--unread' : ''}${muted ? ' room-link--muted' : ''}`}
        aria-current={active ? 'page' : undefined}
        aria-describedby={description ? descriptionId : undefined}
        onClick={follow}
      >
        <span className="room-link__icon" aria-hidden="true">
          {room.visibility === 'private' ? <LockIcon width={15} height={15} /> : null}
          {room.visibility === 'public' ? <HashIcon width={15} height={15} /> : null}
          {other ? (
            <Avatar userId={other.id} name={other.displayName} url={other.avatarUrl} size="sm" />
          ) : null}
          {other && presence !== undefined ? <PresenceDot status={presence} labelled /> : null}
        </span>
        <span className="room-link__name">{label}</span>{' '}
        {count > 0 ? (
          <span className="room-link__badge">
            <span data-testid="unread-count">{badge}</span> <span className="visually-hidden">unread</span>
          </span>
        ) : null}
      </a>
      {description ? (
        <span id={descriptionId} className="visually-hidden">
          {description}
        </span>
      ) : null}
    </li>
  );
}
