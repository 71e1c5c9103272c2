import type { Message, UserRef } from '@parley/protocol';
import { useMemo } from 'react';
import type { ChatClient } from '../chat/ChatClient';
import { Composer } from '../features/composer/Composer';
import { DropOverlay } from '../features/composer/DropOverlay';
import { useFileDrop } from '../features/composer/useFileDrop';
import { OfflineBanner } from '../features/offline/OfflineBanner';
import { TypingIndicator } from '../features/presence/TypingIndicator';
import { RoomHeader } from '../features/rooms/RoomHeader';
import { editLastMessage } from '../features/timeline/editLastMessage';
import type { LightboxImage } from '../features/timeline/Lightbox';
import type { ChatState } from '../state/ChatStore';
import { canModerate, dmOthers } from '../util/roomLabel';
import { NoticeBanner } from './NoticeBanner';
import { RoomTimeline } from './RoomTimeline';
import type { ActiveRoom } from './useActiveRoom';
import type { ChatDialog } from './useOpenDialog';

interface RoomPaneProps {
  state: ChatState;
  active: ActiveRoom;
  client: ChatClient;
  resolveUrl: (path: string) => string;
  onOpenMenu: () => void;
  onOpenDialog: (dialog: ChatDialog) => void;
  onOpenImage: (image: LightboxImage) => void;
  /** Opens a message's thread beside the room (features/threads). */
  onOpenThread: (message: Message) => void;
  unreadReplies?: ReadonlyMap<string, number>;
  onOpenSearch: () => void;
  /** Each new value moves focus to the message box (see `Composer`). */
  composerFocusRequest: number;
}

const NO_TYPISTS: readonly UserRef[] = [];

/** The open room: header, notice, messages and composer; files can be dropped anywhere on it. */
export function RoomPane(props: RoomPaneProps) {
  const { state, active, client, onOpenMenu, onOpenDialog, onOpenSearch, composerFocusRequest, ...timeline } =
    props;
  const { roomId, room, title, direct, members } = active;
  // The typed caption goes with the first file only.
  const attach = (files: File[], caption: string) => {
    if (!roomId) return;
    files.forEach((file, index) => {
      client.sendFile(roomId, file, index === 0 ? caption : '');
    });
  };
  const drop = useFileDrop((files) => attach(files, ''));
  const people = useMemo(() => (members ?? []).map((member) => member.user), [members]);

  return (
    <main id="main" className="pane" {...drop.handlers}>
      <RoomHeader
        room={room}
        title={title}
        noRoomTitle={state.missingRoomSlug !== null ? 'Room not found' : undefined}
        dmPerson={room && direct ? dmOthers(room, state.me, members)[0] : undefined}
        memberCount={members?.length}
        canEdit={room ? canModerate(room) : false}
        connection={state.connection}
        onOpenMenu={onOpenMenu}
        onReconnect={() => client.reconnect()}
        onEditRoom={() => onOpenDialog('edit')}
        onOpenMembers={() => onOpenDialog('members')}
        onSearch={onOpenSearch}
        onSetNotifyLevel={(level) => roomId && void client.setNotifyLevel(roomId, level)}
      />
      <OfflineBanner
        connection={state.connection}
        fromOfflineCopy={state.fromOfflineCopy}
        outbox={state.outbox}
      />
      <NoticeBanner notice={state.notice} onDismiss={() => client.dismissNotice()} />
      <RoomTimeline
        state={state}
        active={active}
        client={client}
        onBrowse={() => onOpenDialog('browse')}
        {...timeline}
      />
      {roomId ? <TypingIndicator typists={state.typing[roomId] ?? NO_TYPISTS} /> : null}
      {roomId ? (
        <Composer
          roomName={title}
          direct={direct}
          onSend={(text) => client.sendText(roomId, text)}
          onAttach={attach}
          focusRequest={composerFocusRequest}
          onEditLast={() => editLastMessage(active.timeline?.messages ?? [], state.me.id)}
          onTyping={() => client.sendTyping(roomId)}
          people={people}
          meId={state.me.id}
          onWantPeople={() => {
            if (!members) void client.loadMembers(roomId);
          }}
        />
      ) : null}
      {drop.dragging ? (
        <DropOverlay where={direct ? `with ${title}` : `in #${room?.name ?? 'this room'}`} />
      ) : null}
    </main>
  );
}
