import type { Message, User } from '@parley/protocol';
import { useCallback } from 'react';
import type { ChatClient } from '../chat/ChatClient';
import { ThreadPanel } from '../features/threads/ThreadPanel';
import type { LightboxImage } from '../features/timeline/Lightbox';
import type { OutboxItem } from '../state/outbox';

interface ThreadPaneProps {
  client: ChatClient;
  roomId: string;
  roomLabel: string;
  rootId: string;
  me: User;
  messages: readonly Message[];
  pending: readonly OutboxItem[];
  offline: boolean;
  resolveUrl: (path: string) => string;
  onOpenImage: (image: LightboxImage) => void;
  onClose: () => void;
  onSeen: (rootId: string, replyCount: number) => void;
}

/** The open thread beside the room, its actions going to the chat client. */
export function ThreadPane({ client, roomId, rootId, ...props }: ThreadPaneProps) {
  const loadThread = useCallback((id: string) => client.loadThread(id), [client]);
  return (
    <ThreadPanel
      {...props}
      rootId={rootId}
      loadThread={loadThread}
      onSend={(text, alsoToRoom) =>
        client.sendText(roomId, text, { replyTo: rootId, threadId: rootId, alsoToRoom })
      }
      onEdit={(message, text) => client.editMessage(message, text)}
      onDelete={(message) => void client.deleteMessage(message)}
      onRetry={(localId) => client.retry(localId)}
      onDiscard={(localId) => client.discard(localId)}
    />
  );
}
