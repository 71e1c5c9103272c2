/**
 * The little the connection manager needs from a WebSocket. The browser's `WebSocket` fits it;
 * tests pass a fake, so the protocol logic runs without a browser or a server.
 */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string) => SocketLike;

/** `WebSocket.OPEN`, spelled out so that the code does not need the global in tests. */
export const SOCKET_OPEN = 1;

export const browserSocketFactory: SocketFactory = (url) => new WebSocket(url);

/** Tells the manager when reconnecting right away is worth it: back online, or the tab shown again. */
export type WakeSource = (
  onWake: (reason: 'online' | 'visible') => void,
  onOffline: () => void,
) => () => void;

export const browserWakeSource: WakeSource = (onWake, onOffline) => {
  const online = () => onWake('online');
  const visible = () => {
    if (document.visibilityState === 'visible') onWake('visible');
  };
  window.addEventListener('online', online);
  window.addEventListener('offline', onOffline);
  document.addEventListener('visibilitychange', visible);
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', onOffline);
    document.removeEventListener('visibilitychange', visible);
  };
};
