import type { User } from '@parley/protocol';
import { Avatar } from '../../ui/Avatar';
import { LogoutIcon, SettingsIcon } from '../../ui/Icons';

interface AccountBarProps {
  me: User;
  onOpenSettings: () => void;
  onSignOut: () => void;
}

/** The foot of the sidebar: who one is signed in as, settings and sign out. */
export function AccountBar({ me, onOpenSettings, onSignOut }: AccountBarProps) {
  return (
    <div className="sidebar__me">
      <Avatar userId={me.id} name={me.displayName} url={me.avatarUrl} />
      <span className="sidebar__me-text">
        <span className="sidebar__me-name">{me.displayName}</span>
        <span className="sidebar__me-handle">@{me.username}</span>
      </span>
      <button
        type="button"
        className="icon-button sidebar__signout"
        onClick={onOpenSettings}
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
  );
}
