import { useCallback, useState } from 'react';
import type { ApiClient } from '../api/ApiClient';
import type { ChatClient } from '../chat/ChatClient';
import type { AuditLogApi } from '../features/admin/AuditLogPage';
import type { DeadLetterApi } from '../features/admin/DeadLetterPage';
import { Sidebar } from '../features/sidebar/Sidebar';
import { Lightbox, type LightboxImage } from '../features/timeline/Lightbox';
import { useChatState } from '../hooks/useChatState';
import type { ChatStore } from '../state/ChatStore';
import { AuditLogPane } from './AuditLogPane';
import { ChatDialogs } from './ChatDialogs';
import { FailedJobsPane } from './FailedJobsPane';
import { RoomPane } from './RoomPane';
import { useActiveRoom } from './useActiveRoom';
import { useMainView } from './useMainView';
import { useOpenDialog } from './useOpenDialog';
import { useOpenRoomMembers } from './useOpenRoomMembers';

/** The REST calls the layout makes itself: one's settings and sessions, and the admins' pages. */
export type LayoutApi = Pick<
  ApiClient,
  'settings' | 'updateSettings' | 'sessions' | 'revokeSession' | 'revokeOtherSessions' | 'changePassword'
> &
  DeadLetterApi &
  AuditLogApi;

interface ChatLayoutProps {
  store: ChatStore;
  client: ChatClient;
  api: LayoutApi;
  resolveUrl: (path: string) => string;
  onSignOut: () => void;
}

/** Sidebar, then the open room (or an admin page), with the image viewer and dialogs over them. */
export function ChatLayout({ store, client, api, resolveUrl, onSignOut }: ChatLayoutProps) {
  const state = useChatState(store);
  const active = useActiveRoom(state);
  useOpenRoomMembers(client, active);
  const { dialog, openDialog, closeDialog } = useOpenDialog(active.roomId);
  const { view, showRoom, showAdminPage } = useMainView(active.room?.slug);
  const [menuOpen, setMenuOpen] = useState(false);
  const [image, setImage] = useState<LightboxImage | null>(null);
  const closeImage = useCallback(() => setImage(null), []);
  const openMenu = () => setMenuOpen(true);
  // On a phone the sidebar is a drawer: whatever is picked in it also closes it.
  const fromSidebar = (action: () => void) => () => {
    action();
    setMenuOpen(false);
  };

  return (
    <div className="layout">
      <Sidebar
        me={state.me}
        rooms={state.rooms}
        activeRoomId={active.roomId}
        members={state.members}
        unread={state.unread}
        open={menuOpen}
        adminPageOpen={view === 'room' ? null : view}
        onSelect={(roomId) => {
          client.selectRoom(roomId);
          showRoom();
          setMenuOpen(false);
        }}
        onCreateRoom={fromSidebar(() => openDialog('create'))}
        onBrowse={fromSidebar(() => openDialog('browse'))}
        onNewMessage={fromSidebar(() => openDialog('dm'))}
        onSignOut={onSignOut}
        onOpenSettings={fromSidebar(() => openDialog('settings'))}
        onOpenAdminPage={
          state.me.role === 'admin'
            ? (page) => {
                showAdminPage(page);
                setMenuOpen(false);
              }
            : undefined
        }
        onClose={() => setMenuOpen(false)}
      />
      {view === 'deadLetters' ? (
        <FailedJobsPane state={state} client={client} api={api} onOpenMenu={openMenu} />
      ) : view === 'auditLog' ? (
        <AuditLogPane state={state} client={client} api={api} onOpenMenu={openMenu} />
      ) : (
        <RoomPane
          state={state}
          active={active}
          client={client}
          resolveUrl={resolveUrl}
          onOpenMenu={openMenu}
          onOpenDialog={openDialog}
          onOpenImage={setImage}
        />
      )}
      {image ? <Lightbox src={image.src} alt={image.alt} onClose={closeImage} /> : null}
      <ChatDialogs
        dialog={dialog}
        state={state}
        active={active}
        client={client}
        api={api}
        onClose={closeDialog}
      />
    </div>
  );
}
