import type { Message, Room, User } from '@parley/protocol';
import { uniqueName } from './suite.js';

/** A user who talks to the server with a script, not a browser: Bearer token, no cookie. */
export interface ApiUser {
  user: User;
  token: string;
}

/** The password of every account made by `registerByApi`, to sign in with it in a browser. */
export const API_PASSWORD = 'a long enough password';

export async function registerByApi(baseUrl: string, name: string): Promise<ApiUser> {
  return call<ApiUser>(baseUrl, 'POST', '/auth/register', undefined, {
    username: uniqueName(name),
    password: API_PASSWORD,
    displayName: name,
  });
}

export async function roomBySlug(baseUrl: string, as: ApiUser, slug: string): Promise<Room> {
  const { rooms } = await call<{ rooms: Room[] }>(baseUrl, 'GET', '/rooms', as.token);
  const room = rooms.find((candidate) => candidate.slug === slug);
  if (!room) throw new Error(`No room with slug ${slug} among ${rooms.map((r) => r.slug).join(', ')}`);
  return room;
}

export async function createRoomByApi(
  baseUrl: string,
  as: ApiUser,
  body: { name: string; slug: string; visibility: 'public' | 'private'; topic?: string },
): Promise<Room> {
  const { room } = await call<{ room: Room }>(baseUrl, 'POST', '/rooms', as.token, body);
  return room;
}

/** Submits a message job (POST /jobs); the server answers 202 before the message exists. */
export async function postMessageByApi(baseUrl: string, as: ApiUser, roomId: string, text: string) {
  await call(baseUrl, 'POST', '/jobs', as.token, { type: 'message', roomId, text });
}

async function call<T>(baseUrl: string, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Adds `username` to a room (the caller must be its owner or an admin). */
export async function addMemberByApi(baseUrl: string, as: ApiUser, roomId: string, username: string) {
  await call(baseUrl, 'POST', `/rooms/${encodeURIComponent(roomId)}/members`, as.token, { username });
}

/** Opens the direct message between the caller and `username`. */
export async function openDmByApi(baseUrl: string, as: ApiUser, username: string): Promise<Room> {
  const { room } = await call<{ room: Room }>(baseUrl, 'POST', '/dms', as.token, { username });
  return room;
}

/** The newest messages of a room as the server has them (up to 200). */
export async function messagesByApi(baseUrl: string, as: ApiUser, roomId: string): Promise<Message[]> {
  const { messages } = await call<{ messages: Message[] }>(
    baseUrl,
    'GET',
    `/rooms/${encodeURIComponent(roomId)}/messages?limit=200`,
    as.token,
  );
  return messages;
}
