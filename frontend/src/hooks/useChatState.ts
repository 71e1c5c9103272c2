import { useSyncExternalStore } from 'react';
import type { ChatState, ChatStore } from '../state/ChatStore';

export function useChatState(store: ChatStore): ChatState {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
