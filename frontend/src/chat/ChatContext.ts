import type { ClientFrame, ServerFrame } from '@parley/protocol';
import type { ApiClient } from '../api/ApiClient';
import type { ConnectionStatus } from '../realtime/ConnectionManager';
import type { ChatStore } from '../state/ChatStore';

/** The REST calls the chat needs; `ApiClient` in the app, a fake in tests. */
export type ChatApi = Pick<
  ApiClient,
  | 'rooms'
  | 'joinRoom'
  | 'messages'
  | 'events'
  | 'sendMessage'
  | 'uploadFile'
  | 'job'
  | 'editMessage'
  | 'deleteMessage'
  | 'createRoom'
  | 'updateRoom'
  | 'leaveRoom'
  | 'members'
  | 'addMember'
  | 'setMemberRole'
  | 'removeMember'
  | 'openDm'
  | 'receipts'
>;

export interface ConnectionHandle {
  start(): void;
  stop(): void;
  send(frame: ClientFrame): boolean;
  wake(): void;
}

export interface ConnectionHooks {
  getCursors: () => Record<string, number>;
  onFrame: (frame: ServerFrame) => void;
  onStatus: (status: ConnectionStatus) => void;
  onSessionEnded: () => void;
}

/** What every part of the chat client shares: the API, the store, and the session's end. */
export interface ChatContext {
  readonly api: ChatApi;
  readonly store: ChatStore;
  /** True once the client was stopped: timers and late answers then change nothing. */
  isStopped(): boolean;
  /** Shows an error in the notice banner; a 401 ends the session instead. */
  report(error: unknown): void;
  /** The server no longer knows the session: stops the client and signs out. */
  endSession(): void;
}
