import type { Job, Message, RoomEvent, User, UserRef } from '@parley/protocol';

export const me: User = {
  id: 'u-me',
  username: 'maya',
  displayName: 'Maya Chen',
  role: 'member',
  avatarUrl: null,
};
export const meRef: UserRef = { id: me.id, username: me.username, displayName: me.displayName };
export const sam: UserRef = { id: 'u-sam', username: 'sam', displayName: 'Sam Okafor' };

export const ROOM = 'r-general';

export function message(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m-${seq}`,
    roomId: ROOM,
    seq,
    author: sam,
    text: `message ${seq}`,
    createdAt: new Date(Date.UTC(2025, 0, 1, 12, 0, seq)).toISOString(),
    ...overrides,
  };
}

export function created(seq: number, overrides: Partial<Message> = {}): RoomEvent {
  const msg = message(seq, overrides);
  return {
    roomId: msg.roomId,
    seq,
    type: 'message.created',
    at: msg.createdAt,
    actor: msg.author,
    data: { message: msg },
  };
}

export function edited(seq: number, original: Message, text: string): RoomEvent {
  const at = new Date(Date.UTC(2025, 0, 1, 13, 0, seq)).toISOString();
  return {
    roomId: original.roomId,
    seq,
    type: 'message.edited',
    at,
    actor: original.author,
    data: { message: { ...original, text, editedAt: at } },
  };
}

export function deleted(seq: number, original: Message): RoomEvent {
  return {
    roomId: original.roomId,
    seq,
    type: 'message.deleted',
    at: new Date(Date.UTC(2025, 0, 1, 14, 0, seq)).toISOString(),
    actor: original.author,
    data: { messageId: original.id },
  };
}

export function job(id: string, overrides: Partial<Job> = {}): Job {
  return {
    id,
    type: 'message',
    status: 'queued',
    roomId: ROOM,
    attempts: 0,
    createdAt: '2025-01-01T12:00:00.000Z',
    updatedAt: '2025-01-01T12:00:00.000Z',
    ...overrides,
  };
}
