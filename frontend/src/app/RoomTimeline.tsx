import type { Message } from '@parley/protocol';
import type { ChatClient } from '../chat/ChatClient';
import type { LightboxImage } from '../features/timeline/Lightbox';
import { MessageList } from '../features/timeline/MessageList';
import type { ChatState } from '../state/ChatStore';
import type { ActiveRoom } from './useActiveRoom';

interface RoomTimelineProps {
  state: ChatState;
  active: ActiveRoom;
  client: ChatClient;
  resolveUrl: (path: string) => string;
  onOpenImage: (image: LightboxImage) => void;
  onOpenThread: (message: Message) => void;
  /** Unread replies per thread root (features/threads). */
  unreadReplies?: ReadonlyMap<string, number>;
}

/** The open room's messages, with their actions going to the chat client; or why there are none. */
export function RoomTimeline(props: RoomTimelineProps) {
  const { state, active, client, resolveUrl, onOpenImage, onOpenThread, unreadReplies } = props;
  const { roomId, timeline } = active;
  if (!roomId || !timeline) return <NoRoom roomsLoaded={state.roomsLoaded} />;
  return (
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
      onDelete={(message) => void client.deleteMessage(message)}
      onToggleReaction={(message, emoji) => void client.toggleReaction(message, emoji)}
      onRetry={(localId) => client.retry(localId)}
      onDiscard={(localId) => client.discard(localId)}
      onOpenImage={onOpenImage}
      onOpenThread={onOpenThread}
      unreadReplies={unreadReplies}
      resolveUrl={resolveUrl}
    />
  );
}

/** No room is open: the room list is still loading, or one is in no room. */
function NoRoom({ roomsLoaded }: { roomsLoaded: boolean }) {
  return (
    <div className="message-list message-list--empty">
      {roomsLoaded ? <p>You are not in any room yet.</p> : <span className="spinner" aria-hidden="true" />}
    </div>
  );
}
