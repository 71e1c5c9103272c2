import type { Room } from '@parley/protocol';
import type { ConnectionStatus as Status } from '../realtime/ConnectionManager';
import { ConnectionStatus } from './ConnectionStatus';
import { HashIcon, LockIcon, MenuIcon } from './Icons';

interface RoomHeaderProps {
  room: Room | undefined;
  connection: Status;
  onOpenMenu: () => void;
  onReconnect: () => void;
}

export function RoomHeader({ room, connection, onOpenMenu, onReconnect }: RoomHeaderProps) {
  return (
    <header className="room-header">
      <button
        type="button"
        className="icon-button room-header__menu"
        aria-label="Open rooms"
        onClick={onOpenMenu}
      >
        <MenuIcon />
      </button>
      <div className="room-header__title">
        <h1>
          <span className="room-header__icon" aria-hidden="true">
            {room?.visibility === 'private' ? (
              <LockIcon width={18} height={18} />
            ) : (
              <HashIcon width={18} height={18} />
            )}
          </span>
          {room?.name ?? 'Loading…'}
        </h1>
        {room?.topic ? (
          <p className="room-header__topic" title={room.topic}>
            {room.topic}
          </p>
        ) : null}
      </div>
      <ConnectionStatus status={connection} onReconnect={onReconnect} />
    </header>
  );
}
