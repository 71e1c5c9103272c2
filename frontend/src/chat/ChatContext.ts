import type { ClientFrame, ServerFrame } from '@parley/protocol';
import type { ApiClient } from '../api/ApiClient';
import { describeError, isApiError } from '../api/ApiError';
import type { ConnectionStatus } from '../realtime/ConnectionManager';
import type { ChatStore } from '../state/ChatStore';
import { ChatEvents } from './ChatEvents';

/** The REST calls the chat needs; `ApiClient` in the app, a fake in tests. */
export type ChatApi = Pick<
  ApiClient,
  | 'rooms'
  | 'joinRoom'
  | 'messages'
  | 'thread'
  | 'events'
  | 'sendMessage'
  | 'uploadFile'
  | 'job'
  | 'editMessage'
  | 'deleteMessage'
  | 'addReaction'
  | 'removeReaction'
  | 'createRoom'
  | 'updateRoom'
  | 'leaveRoom'
  | 'members'
  | 'addMember'
  | 'setMemberRole'
  | 'removeMember'
  | 'openDm'
  | 'receipts'
  | 'message'
  | 'messagesAround'
  | 'setNotifyLevel'
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

/**
 * What every part of the chat client shares: the API, the store, the events a controller tells
 * the ones above it with, and the session (whether it still runs, how errors show, its end).
 */
export class ChatContext {
  readonly events = new ChatEvents();
  private stopped = false;

  constructor(
    readonly api: ChatApi,
    readonly store: ChatStore,
  ) {}

  /** True once the client was stopped: timers and late answers then change nothing. */
  isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Shows an error in the notice banner; a 401 ends the session instead. */
  report(error: unknown): void {
    if (isApiError(error) && error.status === 401) {
      this.endSession();
      return;
    }
    this.store.update((state) => ({ ...state, notice: describeError(error) }));
  }

  /** The server no longer knows the session: `sessionEnded`, once, unless the client already stopped. */
  endSession(): void {
    if (this.stopped) return;
    this.events.emit('sessionEnded');
  }
}
