import type { Message } from '@parley/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { permalinkFromPath, permalinkPath } from '../../util/permalinkPath';
import type { SpotlightRequest } from './useMessageSpotlight';

export interface MessageShower {
  showMessage(messageId: string): Promise<Message | undefined>;
}

/**
 * Permalinks (`/r/<slug>/m/<id>`): opening one from the app (a search result), on a fresh load
 * of its address, or by back and forward; each shows the message in its room, spotlighted.
 */
export function usePermalinks(client: MessageShower, roomsLoaded: boolean) {
  const [spotlight, setSpotlight] = useState<SpotlightRequest | null>(null);
  const nonce = useRef(0);

  const show = useCallback(
    async (messageId: string) => {
      const message = await client.showMessage(messageId);
      if (message) setSpotlight({ messageId: message.id, nonce: ++nonce.current });
    },
    [client],
  );

  useEffect(() => {
    if (!roomsLoaded) return;
    const fromAddress = () => {
      const link = permalinkFromPath(window.location.pathname);
      if (link) void show(link.messageId);
    };
    fromAddress();
    window.addEventListener('popstate', fromAddress);
    return () => window.removeEventListener('popstate', fromAddress);
  }, [roomsLoaded, show]);

  const openPermalink = useCallback(
    (slug: string, messageId: string) => {
      const path = permalinkPath(slug, messageId);
      if (window.location.pathname !== path) window.history.pushState(null, '', path);
      void show(messageId);
    },
    [show],
  );
  const endSpotlight = useCallback(() => setSpotlight(null), []);
  return { spotlight, openPermalink, endSpotlight };
}
