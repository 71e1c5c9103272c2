import type { Message } from '@parley/protocol';
import { useState } from 'react';
import type { ChatClient } from '../chat/ChatClient';
import { RoomNotFound } from '../features/rooms/RoomNotFound';
import { DeleteMessageDialog } from '../features/timeline/DeleteMessageDialog';
import type { LightboxImage } from '../features/timeline/Lightbox';
import { MessageList } from '../features/timeline/MessageList';
import type { ChatState } from '../state/ChatStore';
import type { ActiveRoom } from './useActiveRoom';
import { useReadMarker } from './useReadMarker';

interface RoomTimelineProps {
  state: ChatState;
  active: ActiveRoom;
  client: ChatClient;
  resolveUrl: (path: string) => string;
  onOpenImage: (image: LightboxImage) => void;
  onOpenThread: (message: Message) => void;
  /** Unread replies per thread root (features/threads). */
  unreadReplies?: ReadonlyMap<string, number>;
  /** Opens Browse channels (from the "room not found" state). */
  onBrowse: () => void;
}

/** The open room's messages, with their actions going to the chat client; or why there are none. */
export function RoomTimeline(props: RoomTimelineProps) {
  const { state, active, client, resolveUrl, onOpenImage, onOpenThread, unreadReplies, onBrowse } = props;
  const { roomId, timeline } = active;
  // Delete asks first (one click too many beats a message lost by a slip).
  const [deleting, setDeleting] = useState<Message | null>(null);
  const readUpToSeq = useReadMarker(roomId, active.room?.ackSeq);
  if (!roomId && state.missingRoomSlug !== null) {
    const home = homeRoom(state);
    return (
      <RoomNotFound
        slug={state.missingRoomSlug}
        home={home ? { name: home.name, open: () => client.selectRoom(home.id) } : undefined}
        onBrowse={onBrowse}
      />
    );
  }
  if (!roomId || !timeline) return <NoRoom roomsLoaded={state.roomsLoaded} />;
  return (
    <>
      <MessageList
        roomId={roomId}
        roomName={active.title}
        direct={active.direct}
        me={state.me}
        messages={timeline.messages}
        pending={active.pending}
        receipts={state.receipts[roomId]}
        offline={state.connection === 'offline'}
        notices={timeline.notices}
        loaded={timeline.loaded}
        hasMore={timeline.hasMore}
        loadingOlder={timeline.loadingOlder}
        onLoadOlder={() => void client.loadOlder(roomId)}
        onEdit={(message, text) => client.editMessage(message, text)}
        onDelete={setDeleting}
        onToggleReaction={(message, emoji) => void client.toggleReaction(message, emoji)}
        onRetry={(localId) => client.retry(localId)}
        onDiscard={(localId) => client.discard(localId)}
        onOpenImage={onOpenImage}
        onOpenThread={onOpenThread}
        unreadReplies={unreadReplies}
        resolveUrl={resolveUrl}
        readUpToSeq={readUpToSeq}
      />
      {deleting ? (
        <DeleteMessageDialog
          message={deleting}
          onDelete={() => client.deleteMessage(deleting)}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </>
  );
}

/** Where "Go to #general" leads: #general, else the first room one is in. */
function homeRoom(state: ChatState) {
  const joined = state.rooms.filter((room) => room.membership !== null);
  return joined.find((room) => room.slug === 'general') ?? joined[0];
}

/** No room is open: the room list is still loading, or one is in no room. */
function NoRoom({ roomsLoaded }: { roomsLoaded: boolean }) {
  return (
    <div className="message-list message-list--empty">
      {roomsLoaded ? <p>You are not in any room yet.</p> : <span className="spinner" aria-hidden="true" />}
    </div>
  );
}
