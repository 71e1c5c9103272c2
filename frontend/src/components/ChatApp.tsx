import type { User } from '@parley/protocol';
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../api/ApiClient';
import type { ChatClient } from '../chat/ChatClient';
import { useChatClient } from '../hooks/useChatClient';
import { useChatState } from '../hooks/useChatState';
import type { ChatStore } from '../state/ChatStore';
import { visibleOutbox } from '../state/outbox';
import { emptyTimeline } from '../state/timeline';
import { canModerate, dmOthers, roomLabel } from '../util/roomLabel';
import { DEAD_LETTERS_PATH, isDeadLettersPath, roomPath } from '../util/roomPath';
import { BrowseChannelsDialog } from './BrowseChannelsDialog';
import { Composer } from './Composer';
import { CreateRoomDialog } from './CreateRoomDialog';
import { type DeadLetterApi, DeadLetterPage } from './DeadLetterPage';
import { EditRoomDialog } from './EditRoomDialog';
import { CloseIcon } from './Icons';
import { Lightbox } from './Lightbox';
import { MembersDialog } from './MembersDialog';
import { MessageList } from './MessageList';
import { NewMessageDialog } from './NewMessageDialog';
import { RoomHeader } from './RoomHeader';
import { SettingsDialog } from './SettingsDialog';
import { Sidebar } from './Sidebar';

interface ChatAppProps {
  api: ApiClient;
  wsBase: string;
  user: User;
  onSignOut: () => void;
  onSessionEnded: () => void;
}

export function ChatApp({ api, wsBase, user, onSignOut, onSessionEnded }: ChatAppProps) {
  const chat = useChatClient(api, wsBase, user, onSessionEnded);
  if (!chat) return <div className="splash" aria-busy="true" />;
  return (
    <ChatLayout
      store={chat.store}
      client={chat.client}
      api={api}
      resolveUrl={(path) => api.resolveUrl(path)}
      onSignOut={onSignOut}
    />
  );
}

/** The REST calls the layout makes itself: one's settings and the admins' failed jobs page. */
export type LayoutApi = Pick<ApiClient, 'settings' | 'updateSettings'> & DeadLetterApi;

interface ChatLayoutProps {
  store: ChatStore;
  client: ChatClient;
  api: LayoutApi;
  resolveUrl: (path: string) => string;
  onSignOut: () => void;
}

type OpenDialog = 'create' | 'browse' | 'dm' | 'members' | 'edit' | 'settings' | null;

/** What the main pane shows: the open room, or the admins' failed jobs page (`/admin/failed-jobs`). */
type View = 'room' | 'deadLetters';

const viewOfPath = (): View => (isDeadLettersPath(window.location.pathname) ? 'deadLetters' : 'room');

/** Sidebar, header, messages and composer; files can be dropped anywhere on the message pane. */
export function ChatLayout({ store, client, api, resolveUrl, onSignOut }: ChatLayoutProps) {
  const state = useChatState(store);
  const [view, setView] = useState<View>(viewOfPath);
  const [menuOpen, setMenuOpen] = useState(false);
  const [image, setImage] = useState<{ src: string; alt: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const dragDepth = useRef(0);

  const roomId = state.activeRoomId;
  const room = state.rooms.find((candidate) => candidate.id === roomId);
  const timeline = roomId ? (state.timelines[roomId] ?? emptyTimeline(roomId)) : undefined;
  const pending = useMemo(() => (roomId ? visibleOutbox(state.outbox, roomId) : []), [state.outbox, roomId]);
  const closeImage = useCallback(() => setImage(null), []);
  const slug = room?.slug;
  const members = roomId ? state.members[roomId] : undefined;
  const title = room ? roomLabel(room, state.me, members) : '';
  const direct = room?.visibility === 'dm';
  const closeDialog = useCallback(() => setDialog(null), []);

  // The member count in the header, and the member list kept fresh by member events.
  const membersLoaded = members !== undefined;
  useEffect(() => {
    if (roomId && room?.membership && !membersLoaded) void client.loadMembers(roomId);
  }, [client, roomId, room?.membership, membersLoaded]);

  // A dialog about the open room closes when one leaves it (or is removed from it).
  useEffect(() => {
    void roomId;
    setDialog((open) => (open === 'members' || open === 'edit' ? null : open));
  }, [roomId]);

  // The address bar names the open room, so that it can be shared or reloaded (`/r/<slug>`).
  useEffect(() => {
    if (!slug || view !== 'room') return;
    const path = roomPath(slug);
    if (window.location.pathname !== path) window.history.replaceState(null, '', path);
  }, [slug, view]);

  // Back and forward between a room and the failed jobs page.
  useEffect(() => {
    const onPop = () => setView(viewOfPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const openDeadLetters = () => {
    if (!isDeadLettersPath(window.location.pathname)) window.history.pushState(null, '', DEAD_LETTERS_PATH);
    setView('deadLetters');
    setMenuOpen(false);
  };
  const roomName = (id: string) => {
    const known = state.rooms.find((candidate) => candidate.id === id);
    if (!known) return undefined;
    const label = roomLabel(known, state.me, state.members[id]);
    return known.visibility === 'dm' ? label : `#${label}`;
  };
  const loadSettings = useCallback(() => api.settings(), [api]);

  const attach = (files: File[], caption: string) => {
    if (!roomId) return;
    files.forEach((file, index) => {
      client.sendFile(roomId, file, index === 0 ? caption : '');
    });
  };

  const hasFiles = (event: DragEvent) => [...event.dataTransfer.types].includes('Files');

  const dropHandlers = {
    onDragEnter: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      dragDepth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      dragDepth.current = Math.max(0, dragDepth.current - 1);
      if (dragDepth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      dragDepth.current = 0;
      setDragging(false);
      attach([...event.dataTransfer.files], '');
    },
  };

  return (
    <div className="layout">
      <Sidebar
        me={state.me}
        rooms={state.rooms}
        activeRoomId={roomId}
        members={state.members}
        unread={state.unread}
        open={menuOpen}
        deadLettersOpen={view === 'deadLetters'}
        onSelect={(id) => {
          client.selectRoom(id);
          setView('room');
          setMenuOpen(false);
        }}
        onCreateRoom={() => {
          setDialog('create');
          setMenuOpen(false);
        }}
        onBrowse={() => {
          setDialog('browse');
          setMenuOpen(false);
        }}
        onNewMessage={() => {
          setDialog('dm');
          setMenuOpen(false);
        }}
        onSignOut={onSignOut}
        onOpenSettings={() => {
          setDialog('settings');
          setMenuOpen(false);
        }}
        onOpenDeadLetters={state.me.role === 'admin' ? openDeadLetters : undefined}
        onClose={() => setMenuOpen(false)}
      />
      {view === 'deadLetters' ? (
        <main className="pane">
          <DeadLetterPage
            isAdmin={state.me.role === 'admin'}
            api={api}
            roomName={roomName}
            connection={state.connection}
            onOpenMenu={() => setMenuOpen(true)}
            onReconnect={() => client.reconnect()}
          />
        </main>
      ) : (
        <main className="pane" {...dropHandlers}>
          <RoomHeader
            room={room}
            title={title}
            dmPerson={room && direct ? dmOthers(room, state.me, members)[0] : undefined}
            memberCount={members?.length}
            canEdit={room ? canModerate(room) : false}
            connection={state.connection}
            onOpenMenu={() => setMenuOpen(true)}
            onReconnect={() => client.reconnect()}
            onEditRoom={() => setDialog('edit')}
            onOpenMembers={() => setDialog('members')}
          />
          {state.notice ? (
            <div className="notice" role="status">
              <span>{state.notice}</span>
              <button
                type="button"
                className="icon-button"
                aria-label="Dismiss"
                onClick={() => client.dismissNotice()}
              >
                <CloseIcon width={16} height={16} />
              </button>
            </div>
          ) : null}
          {roomId && timeline ? (
            <MessageList
              roomId={roomId}
              roomName={title}
              direct={direct}
              me={state.me}
              messages={timeline.messages}
              pending={pending}
              receipts={state.receipts[roomId]}
              offline={state.connection === 'offline'}
              notices={timeline.notices}
              loaded={timeline.loaded}
              hasMore={timeline.hasMore}
              loadingOlder={timeline.loadingOlder}
              onLoadOlder={() => void client.loadOlder(roomId)}
              onEdit={(message, text) => client.editMessage(message, text)}
              onDelete={(message) => void client.deleteMessage(message)}
              onRetry={(localId) => client.retry(localId)}
              onDiscard={(localId) => client.discard(localId)}
              onOpenImage={setImage}
              resolveUrl={resolveUrl}
            />
          ) : (
            <div className="message-list message-list--empty">
              {state.roomsLoaded ? (
                <p>You are not in any room yet.</p>
              ) : (
                <span className="spinner" aria-hidden="true" />
              )}
            </div>
          )}
          {roomId ? (
            <Composer
              roomName={title}
              direct={direct}
              onSend={(text) => client.sendText(roomId, text)}
              onAttach={attach}
            />
          ) : null}
          {dragging ? (
            <div className="drop-overlay" aria-hidden="true">
              <div className="drop-overlay__card">
                Drop to share {direct ? `with ${title}` : `in #${room?.name ?? 'this room'}`}
              </div>
            </div>
          ) : null}
        </main>
      )}
      {image ? <Lightbox src={image.src} alt={image.alt} onClose={closeImage} /> : null}
      {dialog === 'create' ? (
        <CreateRoomDialog onCreate={(body) => client.createRoom(body)} onClose={closeDialog} />
      ) : null}
      {dialog === 'browse' ? (
        <BrowseChannelsDialog
          rooms={state.rooms}
          onJoin={(id) => client.joinRoom(id)}
          onClose={closeDialog}
        />
      ) : null}
      {dialog === 'settings' ? (
        <SettingsDialog
          load={loadSettings}
          save={(changes) => api.updateSettings(changes)}
          onClose={closeDialog}
        />
      ) : null}
      {dialog === 'dm' ? (
        <NewMessageDialog onStart={(username) => client.openDm(username)} onClose={closeDialog} />
      ) : null}
      {dialog === 'edit' && room && roomId ? (
        <EditRoomDialog
          room={room}
          onSave={(changes) => client.updateRoom(roomId, changes)}
          onClose={closeDialog}
        />
      ) : null}
      {dialog === 'members' && room && roomId ? (
        <MembersDialog
          room={room}
          title={title}
          me={state.me}
          members={members}
          onAdd={(username) => client.addMember(roomId, username)}
          onRemove={(userId) => client.removeMember(roomId, userId)}
          onSetRole={(userId, role) => client.setMemberRole(roomId, userId, role)}
          onLeave={() => client.leaveRoom(roomId)}
          onClose={closeDialog}
        />
      ) : null}
    </div>
  );
}
