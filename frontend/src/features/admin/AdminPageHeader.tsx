import type { ReactNode } from 'react';
import type { ConnectionStatus as Status } from '../../realtime/ConnectionManager';
import { ConnectionStatus } from '../../ui/ConnectionStatus';
import { MenuIcon } from '../../ui/Icons';

interface AdminPageHeaderProps {
  icon: ReactNode;
  title: string;
  /** Shown under the title to instance admins only. */
  subtitle: string;
  isAdmin: boolean;
  connection: Status;
  onOpenMenu: () => void;
  onReconnect: () => void;
}

/** The header of an admin page, in the room header's place and style. */
export function AdminPageHeader({
  icon,
  title,
  subtitle,
  isAdmin,
  connection,
  onOpenMenu,
  onReconnect,
}: AdminPageHeaderProps) {
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
            {icon}
          </span>
          <span className="room-header__name">{title}</span>
        </h1>
        {isAdmin ? <p className="room-header__topic">{subtitle}</p> : null}
      </div>
      <ConnectionStatus status={connection} onReconnect={onReconnect} />
    </header>
  );
}
