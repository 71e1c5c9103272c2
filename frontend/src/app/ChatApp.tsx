import type { User } from '@parley/protocol';
import { useCallback } from 'react';
import type { ApiClient } from '../api/ApiClient';
import { useChatClient } from '../hooks/useChatClient';
import { AvatarUrls } from '../ui/AvatarUrls';
import { ChatLayout } from './ChatLayout';

interface ChatAppProps {
  api: ApiClient;
  wsBase: string;
  user: User;
  /** One has just signed in: the first room's message box takes focus. */
  focusComposer: boolean;
  onSignOut: () => void;
  onSessionEnded: () => void;
  /** The server was not reached at load: the chat opens on what this device kept. */
  fromOfflineCopy?: boolean;
}

/** The signed-in app: a chat client for the user, then the chat's layout once it exists. */
export function ChatApp(props: ChatAppProps) {
  const { api, wsBase, user, focusComposer, onSignOut, onSessionEnded, fromOfflineCopy } = props;
  const chat = useChatClient(api, wsBase, user, onSessionEnded, fromOfflineCopy);
  const resolveAvatar = useCallback((path: string) => api.resolveUrl(path), [api]);
  if (!chat) return <div className="splash" aria-busy="true" />;
  return (
    <AvatarUrls.Provider value={resolveAvatar}>
      <ChatLayout
        store={chat.store}
        client={chat.client}
        api={api}
        resolveUrl={(path) => api.resolveUrl(path)}
        focusComposer={focusComposer}
        onSignOut={onSignOut}
      />
    </AvatarUrls.Provider>
  );
}
