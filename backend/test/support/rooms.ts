/**
 * What people do with rooms, in one call each: join, add someone, change a role, open a DM,
 * share a file, read the log; plus the small socket and answer helpers the membership and
 * authorization suites share.
 */
import type { Attachment, Job, Member, Message, Room, RoomEvent, ServerFrame } from '@parley/protocol';
import {
  type Account,
  type ApiResponse,
  errorOf,
  expectStatus,
  messagesPage,
  type Socket,
  waitForCompletion,
} from './client.js';
import { makePng } from './files.js';

export type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** Joins a public room (200 expected). */
export async function joinRoom(account: Account, roomId: string): Promise<Room> {
  const response = await account.api.post<{ room: Room }>(`/rooms/${roomId}/join`);
  return expectStatus(response, 200, `POST /rooms/${roomId}/join`).body.room;
}

/** The room owner (or admin) adds someone by username (201 expected). */
export async function addMember(by: Account, roomId: string, username: string): Promise<Member> {
  const response = await by.api.post<{ member: Member }>(`/rooms/${roomId}/members`, { username });
  return expectStatus(response, 201, `POST /rooms/${roomId}/members ${username}`).body.member;
}

/** The room owner makes someone a room admin, or a plain member again (200 expected). */
export async function setRole(
  by: Account,
  roomId: string,
  userId: string,
  role: 'admin' | 'member',
): Promise<Member> {
  const response = await by.api.patch<{ member: Member }>(`/rooms/${roomId}/members/${userId}`, { role });
  return expectStatus(response, 200, `PATCH /rooms/${roomId}/members/${userId} ${role}`).body.member;
}

/** The room's events after `seq` (at most 200), as a member reads them (200 expected). */
export async function eventsAfter(reader: Account, roomId: string, seq: number): Promise<RoomEvent[]> {
  const response = await reader.api.get<{ events: RoomEvent[] }>(
    `/rooms/${roomId}/events?after=${seq}&limit=200`,
  );
  return expectStatus(response, 200, `GET /rooms/${roomId}/events?after=${seq}`).body.events;
}

/** The room's member list (200 expected). */
export async function membersOf(account: Account, roomId: string): Promise<Member[]> {
  const response = await account.api.get<{ members: Member[] }>(`/rooms/${roomId}/members`);
  return expectStatus(response, 200, `GET /rooms/${roomId}/members`).body.members;
}

/** Opens (or finds) the DM with `username`; answers the raw response (201 new, 200 existing). */
export function openDm(account: Account, body: { username: string } | { usernames: string[] }) {
  return account.api.post<{ room: Room }>('/dms', body);
}

/** The message with sequence number `seq`, as a member reads it. */
export async function messageAt(reader: Account, roomId: string, seq: number): Promise<Message | undefined> {
  const page = await messagesPage(reader, roomId, `?after=${seq - 1}&limit=1`);
  const message = page.messages[0];
  return message?.seq === seq ? message : undefined;
}

export interface SharedFile {
  job: Job;
  message: Message;
  attachment: Attachment;
}

/** Shares a small PNG in a room (a file job, waited for) and answers its message and attachment. */
export async function shareImage(
  account: Account,
  roomId: string,
  fileName = 'pixel.png',
): Promise<SharedFile> {
  const response = await account.api.post<{ job: Job }>('/jobs', {
    type: 'file',
    roomId,
    fileName,
    contentType: 'image/png',
    data: makePng(8, 8).toString('base64'),
  });
  const job = expectStatus(response, 202, `POST /jobs file ${fileName}`).body.job;
  const done = await waitForCompletion(account, job.id);
  const message = await messageAt(account, roomId, done.result.seq);
  if (!message?.attachment) throw new Error(`the file job ${job.id} made no message with an attachment`);
  return { job: done, message, attachment: message.attachment };
}

/** Round-trips a ping: every frame the server sent before the pong has arrived. */
export async function barrier(socket: Socket, ref = `barrier-${Math.random()}`): Promise<void> {
  socket.send({ type: 'ping', ref });
  await socket.next((frame) => frame.type === 'pong' && frame.ref === ref, 5_000, `pong ${ref}`);
}

/** `"200"` for a success, `"403 forbidden"` for a refusal: what an authorization cell compares. */
export function outcomeOf(response: ApiResponse): string {
  if (response.status < 400) return String(response.status);
  return `${response.status} ${errorOf(response).code}`;
}
