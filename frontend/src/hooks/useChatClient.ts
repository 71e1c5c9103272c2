import type { User } from '@parley/protocol';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/ApiClient';
import { browserActivity } from '../chat/AwayReporter';
import { ChatClient } from '../chat/ChatClient';
import { browserNotifications } from '../chat/DesktopNotifier';
import { ConnectionManager } from '../realtime/ConnectionManager';
import { browserSocketFactory, browserWakeSource } from '../realtime/SocketLike';
import { ChatStore } from '../state/ChatStore';
import { browserOutboxStorage } from '../state/outboxStorage';
import { roomSlugFromPath } from '../util/roomPath';

/** Creates the store and the chat client for a signed-in user, and tears them down on sign-out. */
export function useChatClient(
  api: ApiClient,
  wsBase: string,
  user: User,
  onSessionEnded: () => void,
): { store: ChatStore; client: ChatClient } | null {
  const [chat, setChat] = useState<{ store: ChatStore; client: ChatClient } | null>(null);

  useEffect(() => {
    const store = new ChatStore(user);
    const client = new ChatClient({
      api,
      store,
      onSessionEnded,
      outboxStorage: browserOutboxStorage(user.id),
      initialRoomSlug: roomSlugFromPath(window.location.pathname),
      maxUploadBytes: () => api.serverLimits.maxUploadBytes,
      notifications: browserNotifications,
      activity: browserActivity,
      connect: (hooks) =>
        new ConnectionManager({
          ...hooks,
          wsBase,
          getTicket: () => api.wsTicket(),
          createSocket: browserSocketFactory,
          wakeSource: browserWakeSource,
        }),
    });
    setChat({ store, client });
    void client.start();
    return () => {
      client.stop();
      setChat(null);
    };
  }, [api, wsBase, user, onSessionEnded]);

  return chat;
}
