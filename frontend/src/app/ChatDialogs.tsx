import type { User } from '@parley/protocol';
import { useCallback } from 'react';
import type { ApiClient } from '../api/ApiClient';
import type { ChatClient } from '../chat/ChatClient';
import { BrowseChannelsDialog } from '../features/rooms/BrowseChannelsDialog';
import { CreateRoomDialog } from '../features/rooms/CreateRoomDialog';
import { EditRoomDialog } from '../features/rooms/EditRoomDialog';
import { LeaveRoomDialog } from '../features/rooms/LeaveRoomDialog';
import { MembersDialog } from '../features/rooms/MembersDialog';
import { NewMessageDialog } from '../features/rooms/NewMessageDialog';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { QuickSwitcher } from '../features/switcher/QuickSwitcher';
import type { ChatState } from '../state/ChatStore';
import type { ActiveRoom } from './useActiveRoom';
import type { ChatDialog } from './useOpenDialog';

interface ChatDialogsProps {
  dialog: ChatDialog | null;
  state: ChatState;
  active: ActiveRoom;
  client: ChatClient;
  api: Pick<
    ApiClient,
    | 'settings'
    | 'updateSettings'
    | 'sessions'
    | 'revokeSession'
    | 'revokeOtherSessions'
    | 'changePassword'
    | 'searchUsers'
    | 'updateProfile'
    | 'setAvatar'
    | 'removeAvatar'
    | 'vapidPublicKey'
    | 'subscribePush'
    | 'unsubscribePush'
  >;
  onClose: () => void;
  /** Opens another dialog in place of this one (Leave in the members list asks first). */
  onOpen: (dialog: ChatDialog) => void;
  /** The main pane shows the open room (not an admin page): after the switcher opened one. */
  onShowRoom: () => void;
}

/** The open dialog, if any, its actions going to the chat client (or the settings API). */
export function ChatDialogs(props: ChatDialogsProps) {
  const { dialog, state, active, client, api, onClose, onOpen, onShowRoom } = props;
  // Stable, so that the settings dialog loads once and suggestions are not asked again.
  const loadSettings = useCallback(() => api.settings(), [api]);
  const loadSessions = useCallback(() => api.sessions(), [api]);
  const searchUsers = useCallback(
    (text: string, signal?: AbortSignal) => api.searchUsers(text, signal),
    [api],
  );
  const { room, roomId } = active;
  /** One's own new profile shows everywhere at once (others hear of it by `user.updated`). */
  const shown = async (change: Promise<User>): Promise<User> => {
    const user = await change;
    client.showProfile(user);
    return user;
  };
  switch (dialog) {
    case 'create':
      return <CreateRoomDialog onCreate={(body) => client.createRoom(body)} onClose={onClose} />;
    case 'browse':
      return (
        <BrowseChannelsDialog
          rooms={state.rooms}
          onJoin={(id) => client.joinRoom(id)}
          onRefresh={() => client.loadRooms()}
          onClose={onClose}
        />
      );
    case 'settings':
      return (
        <SettingsDialog
          load={loadSettings}
          save={(changes) => api.updateSettings(changes)}
          loadSessions={loadSessions}
          revokeSession={(sessionId) => api.revokeSession(sessionId)}
          revokeOtherSessions={() => api.revokeOtherSessions()}
          changePassword={(body) => api.changePassword(body)}
          profile={{
            me: state.me,
            rename: (displayName) => shown(api.updateProfile(displayName)),
            setAvatar: (image) => shown(api.setAvatar(image)),
            removeAvatar: () => shown(api.removeAvatar()),
          }}
          push={api}
          onClose={onClose}
        />
      );
    case 'dm':
      return (
        <NewMessageDialog
          onStart={(username) => client.openDm(username)}
          onClose={onClose}
          searchUsers={searchUsers}
          meId={state.me.id}
        />
      );
    case 'switcher':
      return (
        <QuickSwitcher
          rooms={state.rooms}
          me={state.me}
          members={state.members}
          unread={state.unread}
          searchUsers={searchUsers}
          onOpenRoom={async (target) => {
            if (target.membership === null) await client.joinRoom(target.id);
            else client.selectRoom(target.id);
            onShowRoom();
          }}
          onOpenPerson={async (user) => {
            await client.openDm(user.username);
            onShowRoom();
          }}
          onClose={onClose}
        />
      );
    case 'edit':
      if (!room || !roomId) return null;
      return (
        <EditRoomDialog
          room={room}
          onSave={(changes) => client.updateRoom(roomId, changes)}
          onClose={onClose}
        />
      );
    case 'members':
      if (!room || !roomId) return null;
      return (
        <MembersDialog
          room={room}
          title={active.title}
          me={state.me}
          members={active.members}
          presence={state.presence}
          onAdd={(username) => client.addMember(roomId, username)}
          onRemove={(userId) => client.removeMember(roomId, userId)}
          onSetRole={(userId, role) => client.setMemberRole(roomId, userId, role)}
          onLeave={async () => onOpen('leave')}
          onClose={onClose}
          searchUsers={searchUsers}
        />
      );
    case 'leave':
      if (!room || !roomId) return null;
      return <LeaveRoomDialog room={room} onLeave={() => client.leaveRoom(roomId)} onClose={onClose} />;
    default:
      return null;
  }
}
