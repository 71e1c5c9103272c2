import type { User } from '@parley/protocol';
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/ApiClient';
import { browserActivity } from '../chat/AwayReporter';
import { ChatClient } from '../chat/ChatClient';
import { browserNotifications } from '../chat/DesktopNotifier';
import { ConnectionManager } from '../realtime/ConnectionManager';
import { browserSocketFactory, browserWakeSource } from '../realtime/SocketLike';
import { ChatStore } from '../state/ChatStore';
import { browserOfflineCopyStorage } from '../state/offlineCopyStorage';
import { browserOutboxStorage } from '../state/outboxStorage';
import { roomSlugFromPath } from '../util/roomPath';

/** Creates the store and the chat client for a signed-in user, and tears them down on sign-out. */
export function useChatClient(
  api: ApiClient,
  wsBase: string,
  user: User,
  onSessionEnded: () => void,
  /** The server was not reached at load: start from the copy kept on this device. */
  fromOfflineCopy = false,
): { store: ChatStore; client: ChatClient } | null {
  const [chat, setChat] = useState<{ store: ChatStore; client: ChatClient } | null>(null);
  // Read when the client is made only: the server answering later changes nothing here.
  const startFromCopy = useRef(fromOfflineCopy);

  useEffect(() => {
    const store = new ChatStore(user);
    const client = new ChatClient({
      api,
      store,
      onSessionEnded,
      outboxStorage: browserOutboxStorage(user.id),
      offlineCopy: browserOfflineCopyStorage(),
      startFromOfflineCopy: startFromCopy.current,
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
    // The last changes reach the offline copy before the page goes away (a reload, a closed tab).
    const hidden = () => client.saveOfflineCopy();
    window.addEventListener('pagehide', hidden);
    return () => {
      window.removeEventListener('pagehide', hidden);
      client.stop();
      setChat(null);
    };
  }, [api, wsBase, user, onSessionEnded]);

  return chat;
}
