import type { ReactNode } from 'react';
import type { ConnectionStatus as Status } from '../../realtime/ConnectionManager';
import { ConnectionStatus } from '../../ui/ConnectionStatus';
import { MenuIcon } from '../../ui/Icons';

interface AdminPageProps {
  icon: ReactNode;
  title: string;
  /** Shown under the title to instance admins only. */
  subtitle: string;
  isAdmin: boolean;
  connection: Status;
  onOpenMenu: () => void;
  onReconnect: () => void;
  /** A wide page (tables); else the narrow column of the other pages. */
  wide?: boolean;
  /** The page itself, shown to instance admins only. */
  children: ReactNode;
}

/**
 * An admin page: a header in the room header's place and style, then the page for instance
 * admins, or a word that it is not for them.
 */
export function AdminPage({
  icon,
  title,
  subtitle,
  isAdmin,
  connection,
  onOpenMenu,
  onReconnect,
  wide = false,
  children,
}: AdminPageProps) {
  return (
    <>
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
      <div className="admin-page">
        {isAdmin ? (
          <div className={wide ? 'admin-page__inner admin-page__inner--wide' : 'admin-page__inner'}>
            {children}
          </div>
        ) : (
          <div className="admin-page__empty">
            <h2>Not available</h2>
            <p>This page is for the instance’s admins.</p>
          </div>
        )}
      </div>
    </>
  );
}
