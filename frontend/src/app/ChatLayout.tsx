import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../api/ApiClient';
import type { ChatClient } from '../chat/ChatClient';
import type { AuditLogApi } from '../features/admin/AuditLogPage';
import type { DeadLetterApi } from '../features/admin/DeadLetterPage';
import { COMPOSER_INPUT_ID } from '../features/composer/Composer';
import { MentionsPanel } from '../features/inbox/MentionsPanel';
import { useMentionsInbox } from '../features/inbox/useMentionsInbox';
import { SearchPanel } from '../features/search/SearchPanel';
import { useMessageSpotlight } from '../features/search/useMessageSpotlight';
import { usePermalinks } from '../features/search/usePermalinks';
import { useSearchPanel } from '../features/search/useSearchPanel';
import { Sidebar } from '../features/sidebar/Sidebar';
import { Lightbox, type LightboxImage } from '../features/timeline/Lightbox';
import { useChatState } from '../hooks/useChatState';
import type { ChatStore } from '../state/ChatStore';
import { AuditLogPane } from './AuditLogPane';
import { useFaviconBadge } from './a11y/faviconBadge';
import { LiveAnnouncements } from './a11y/LiveAnnouncements';
import { SkipLinks, type SkipTarget } from './a11y/SkipLinks';
import { totalUnread, useTabTitle } from './a11y/tabTitle';
import { useComposerFocusRequest } from './a11y/useComposerFocusRequest';
import { ChatDialogs } from './ChatDialogs';
import { FailedJobsPane } from './FailedJobsPane';
import { RoomPane } from './RoomPane';
import { ThreadPane } from './ThreadPane';
import { useActiveRoom } from './useActiveRoom';
import { type MainView, useMainView } from './useMainView';
import { useOpenDialog } from './useOpenDialog';
import { useOpenRoomMembers } from './useOpenRoomMembers';
import { useOpenThread } from './useOpenThread';
import { useQuickSwitcherShortcut } from './useQuickSwitcherShortcut';

/** The REST calls the layout makes itself: one's settings and sessions, and the admins' pages. */
export type LayoutApi = Pick<
  ApiClient,
  | 'settings'
  | 'updateSettings'
  | 'sessions'
  | 'revokeSession'
  | 'revokeOtherSessions'
  | 'changePassword'
  | 'search'
  | 'searchUsers'
  | 'updateProfile'
  | 'setAvatar'
  | 'removeAvatar'
  | 'mentions'
  | 'vapidPublicKey'
  | 'subscribePush'
  | 'unsubscribePush'
> &
  DeadLetterApi &
  AuditLogApi;

interface ChatLayoutProps {
  store: ChatStore;
  client: ChatClient;
  api: LayoutApi;
  resolveUrl: (path: string) => string;
  /** One has just signed in: the first room's message box takes focus. */
  focusComposer?: boolean;
  onSignOut: () => void;
}

const mainPane = () => document.querySelector<HTMLElement>('main');

const SKIP_TARGETS: Record<MainView, SkipTarget[]> = {
  room: [
    { label: 'Skip to messages', find: () => document.querySelector<HTMLElement>('main [role="log"]') },
    { label: 'Skip to composer', find: () => document.getElementById(COMPOSER_INPUT_ID) },
  ],
  deadLetters: [{ label: 'Skip to main content', find: mainPane }],
  auditLog: [{ label: 'Skip to main content', find: mainPane }],
};

const PAGE_TITLES: Record<Exclude<MainView, 'room'>, string> = {
  deadLetters: 'Failed jobs',
  auditLog: 'Audit log',
};

/** Sidebar, then the open room (or an admin page), with the image viewer and dialogs over them. */
export function ChatLayout(props: ChatLayoutProps) {
  const { store, client, api, resolveUrl, focusComposer = false, onSignOut } = props;
  const state = useChatState(store);
  const active = useActiveRoom(state);
  useOpenRoomMembers(client, active);
  const { dialog, openDialog, closeDialog } = useOpenDialog(active.roomId);
  const { view, showRoom, showAdminPage } = useMainView(active.room?.slug);
  const composerFocusRequest = useComposerFocusRequest(active.roomId, focusComposer);
  useQuickSwitcherShortcut(() => openDialog('switcher'));
  const roomPlace = active.room ? (active.direct ? active.title : `#${active.title}`) : null;
  const unread = totalUnread(state.unread);
  useTabTitle(view === 'room' ? roomPlace : PAGE_TITLES[view], unread);
  useFaviconBadge(unread);
  const [menuOpen, setMenuOpen] = useState(false);
  const search = useSearchPanel();
  // The badge is asked for again whenever the unread counts move (a message came, a room was read).
  const mentions = useMentionsInbox(api, JSON.stringify(state.unread));
  const permalinks = usePermalinks(client, state.roomsLoaded);
  useMessageSpotlight(permalinks.spotlight, active.timeline?.messages, permalinks.endSpotlight);
  const [image, setImage] = useState<LightboxImage | null>(null);
  const threads = useOpenThread(state, active, view);
  const closeImage = useCallback(() => setImage(null), []);
  // One side panel at a time: search opened (by its button or "/") closes an open thread.
  const { closeThread } = threads;
  useEffect(() => {
    if (search.open) closeThread();
  }, [search.open, closeThread]);
  // The Mentions panel takes the same place: it closes the others when it opens (below), and
  // gives way when search or a thread opens.
  const { dismissMentions } = mentions;
  useEffect(() => {
    if (search.open || threads.open) dismissMentions();
  }, [search.open, threads.open, dismissMentions]);
  const openMentions = () => {
    search.dismissSearch();
    closeThread();
    mentions.openMentions();
  };
  const openMenu = () => setMenuOpen(true);
  // On a phone the sidebar is a drawer: whatever is picked in it also closes it.
  const fromSidebar = (action: () => void) => () => {
    action();
    setMenuOpen(false);
  };

  return (
    <div
      className={`layout${threads.open ? ' layout--thread' : search.open || mentions.open ? ' layout--search' : ''}`}
    >
      <SkipLinks targets={view === 'room' && !active.roomId ? [] : SKIP_TARGETS[view]} />
      <Sidebar
        me={state.me}
        rooms={state.rooms}
        activeRoomId={active.roomId}
        members={state.members}
        unread={state.unread}
        presence={state.presence}
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
        onOpenSwitcher={fromSidebar(() => openDialog('switcher'))}
        mentions={{
          unread: mentions.unread,
          open: mentions.open,
          onOpen: fromSidebar(openMentions),
        }}
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
          // One side panel at a time: a thread and the search results share the room's side.
          onOpenThread={(message) => {
            search.closeSearch();
            threads.openThread(message);
          }}
          unreadReplies={threads.unreadReplies}
          onOpenSearch={search.openSearch}
          composerFocusRequest={composerFocusRequest}
        />
      )}
      {threads.open && active.roomId && roomPlace ? (
        <ThreadPane
          client={client}
          roomId={active.roomId}
          roomLabel={roomPlace}
          rootId={threads.open.rootId}
          me={state.me}
          messages={active.timeline?.messages ?? []}
          pending={active.pending}
          offline={state.connection === 'offline'}
          resolveUrl={resolveUrl}
          onOpenImage={setImage}
          onClose={threads.closeThread}
          onSeen={threads.markSeen}
        />
      ) : search.open ? (
        <SearchPanel
          api={api}
          onClose={search.closeSearch}
          onOpen={(result) => {
            showRoom();
            permalinks.openPermalink(result.room.slug, result.message.id);
            // On a phone the panel covers the room: get out of the way of the message.
            if (window.matchMedia?.('(max-width: 760px)').matches) search.closeSearch();
          }}
        />
      ) : mentions.open ? (
        <MentionsPanel
          api={api}
          onClose={mentions.closeMentions}
          onOpen={(item) => {
            showRoom();
            permalinks.openPermalink(item.room.slug, item.message.id);
            // On a phone the panel covers the room: get out of the way of the message.
            if (window.matchMedia?.('(max-width: 760px)').matches) mentions.closeMentions();
          }}
        />
      ) : null}
      {image ? <Lightbox src={image.src} alt={image.alt} onClose={closeImage} /> : null}
      <ChatDialogs
        dialog={dialog}
        state={state}
        active={active}
        client={client}
        api={api}
        onClose={closeDialog}
        onOpen={openDialog}
        onShowRoom={showRoom}
      />
      <LiveAnnouncements state={state} />
    </div>
  );
}
