/**
 * GET /search, GET /messages/:id and GET /rooms/:id/messages?around=SEQ, black box, on SQLite
 * and (PARLEY_TEST_DATABASE=postgres) PostgreSQL: the trigram index of each engine.
 */
import type { Message, MessagesAroundResponse, Room, SearchResponse } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  errorOf,
  postMessage,
  register,
  request,
  uniqueName,
} from '../support/client.js';
import { addMember, shareImage } from '../support/rooms.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let alice: Account;
let bob: Account;
let carol: Account;

beforeAll(async () => {
  server = await startServer();
  await register(server, uniqueName('admin'));
  alice = await register(server, uniqueName('alice'));
  bob = await register(server, uniqueName('bob'));
  carol = await register(server, uniqueName('carol'));
});
afterAll(() => server?.dispose());

/** A word no other test writes, so each test sees only its own messages. */
const tag = () => `zq${Math.random().toString(36).slice(2, 10)}`;

async function search(account: Account, q: string, extra = ''): Promise<SearchResponse> {
  const response = await account.api.get<SearchResponse>(`/search?q=${encodeURIComponent(q)}${extra}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

const ids = (response: SearchResponse) => response.results.map((result) => result.message.id);

async function refused(account: Account, query: string): Promise<string> {
  const response = await account.api.get(`/search?${query}`);
  expect(response.status, response.text).toBe(400);
  return errorOf(response).message;
}

const utcDay = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('search', () => {
  let room: Room;

  beforeAll(async () => {
    room = await createRoom(alice, { name: `Search ${uniqueName('s')}`, visibility: 'public' });
    await addMember(alice, room.id, bob.username);
  });

  it('finds a URL by any part of it, a version string, and code', async () => {
    const t = tag();
    const url = await postMessage(alice, room.id, `${t} see https://example.com/path/to/page for details`);
    const version = await postMessage(alice, room.id, `${t} released v1.2.3 today`);
    await postMessage(alice, room.id, `${t} released v1.2.4 yesterday`);
    const code = await postMessage(alice, room.id, `${t} call \`fooBar(baz, 42)\` first`);

    expect(ids(await search(alice, `${t} exam`))).toEqual([url.messageId]);
    expect(ids(await search(alice, `${t} example.com/path`))).toEqual([url.messageId]);
    expect(ids(await search(alice, `${t} EXAMPLE.COM`))).toEqual([url.messageId]);
    expect(ids(await search(alice, `${t} v1.2.3`))).toEqual([version.messageId]);
    expect(ids(await search(alice, `${t} foobar(baz`))).toEqual([code.messageId]);
    const found = await search(bob, `${t} exam`);
    expect(found.results[0]).toMatchObject({
      message: { id: url.messageId, roomId: room.id, text: expect.stringContaining('example.com') },
      room: { id: room.id, slug: room.slug, name: room.name, kind: 'public' },
    });
    expect(found.terms).toEqual([t, 'exam']);
  });

  it('matches a part of a word, needs every term, and takes quoted phrases whole', async () => {
    const t = tag();
    const fox = await postMessage(alice, room.id, `${t} the quick brown fox`);
    const reversed = await postMessage(alice, room.id, `${t} brown and quick`);
    expect(ids(await search(alice, `${t} uic`))).toEqual([reversed.messageId, fox.messageId]);
    expect(ids(await search(alice, `${t} fox quick`))).toEqual([fox.messageId]);
    expect(ids(await search(alice, `${t} "quick brown"`))).toEqual([fox.messageId]);
    expect(ids(await search(alice, `${t} "brown quick"`))).toEqual([]);
    expect(ids(await search(alice, `${t} nothing-like-this`))).toEqual([]);
  });

  it('takes % and _ literally', async () => {
    const t = tag();
    const percent = await postMessage(alice, room.id, `${t} 100% done, snake_case`);
    await postMessage(alice, room.id, `${t} 1000 done, snakeXcase`);
    expect(ids(await search(alice, `${t} 100%`))).toEqual([percent.messageId]);
    expect(ids(await search(alice, `${t} e_c`))).toEqual([percent.messageId]);
    expect(ids(await search(alice, `${t} _ in:${room.slug}`))).toEqual([percent.messageId]);
  });

  it('filters by author, room, file and day', async () => {
    const t = tag();
    const other = await createRoom(alice, { name: `Other ${uniqueName('o')}`, visibility: 'public' });
    const byAlice = await postMessage(alice, room.id, `${t} from alice`);
    const byBob = await postMessage(bob, room.id, `${t} from bob`);
    const elsewhere = await postMessage(alice, other.id, `${t} in the other room`);
    const image = await shareImage(alice, other.id, `${t}.png`);

    expect(ids(await search(alice, `${t} from:${bob.username}`))).toEqual([byBob.messageId]);
    expect(ids(await search(alice, `${t} from:@${bob.username}`))).toEqual([byBob.messageId]);
    expect(ids(await search(alice, `${t} in:${other.slug}`))).toEqual([elsewhere.messageId]);
    expect(ids(await search(alice, `${t} in:#${room.slug}`))).toEqual([byBob.messageId, byAlice.messageId]);
    expect(ids(await search(alice, `has:file in:#${other.slug}`))).toEqual([image.message.id]);
    expect(ids(await search(alice, `${t} has:file`))).toEqual([]);
    const all = [elsewhere.messageId, byBob.messageId, byAlice.messageId];
    expect(ids(await search(alice, `${t} before:${utcDay(1)}`))).toEqual(all);
    expect(ids(await search(alice, `${t} before:${utcDay(0)}`))).toEqual([]);
    expect(ids(await search(alice, `${t} after:${utcDay(-1)}`))).toEqual(all);
    expect(ids(await search(alice, `${t} after:${utcDay(0)}`))).toEqual([]);
  });

  it('answers a term under 3 characters when something else narrows it, and refuses it alone', async () => {
    const t = tag();
    const narrow = await createRoom(alice, { name: `Short ${uniqueName('n')}`, visibility: 'public' });
    const hit = await postMessage(alice, narrow.id, `${t} ok go`);
    await postMessage(alice, narrow.id, `${t} nothing here`);
    expect(ids(await search(alice, `go in:${narrow.slug}`))).toEqual([hit.messageId]);
    expect(ids(await search(alice, `${t} go`))).toEqual([hit.messageId]);
    expect(await refused(alice, 'q=go')).toMatch(/at least 3 characters/);
  });

  it('never finds a deleted message, and finds an edited one by its new words only', async () => {
    const t = tag();
    const deleted = await postMessage(alice, room.id, `${t} regrettable words`);
    expect(ids(await search(alice, `${t} regrettable`))).toEqual([deleted.messageId]);
    expect((await alice.api.delete(`/messages/${deleted.messageId}`)).status).toBe(204);
    expect(ids(await search(alice, `${t} regrettable`))).toEqual([]);
    expect(ids(await search(alice, `${t}`))).toEqual([]);

    const edited = await postMessage(alice, room.id, `${t} first draft`);
    const patch = await alice.api.patch(`/messages/${edited.messageId}`, { text: `${t} final version` });
    expect(patch.status, patch.text).toBe(200);
    expect(ids(await search(alice, `${t} draft`))).toEqual([]);
    const found = await search(alice, `${t} final`);
    expect(ids(found)).toEqual([edited.messageId]);
    expect(found.results[0]?.message.text).toBe(`${t} final version`);
  });

  it('never searches a room the caller is not in, or has left', async () => {
    const t = tag();
    const secret = await createRoom(alice, { name: `Secret ${uniqueName('p')}`, visibility: 'private' });
    await addMember(alice, secret.id, bob.username);
    const hidden = await postMessage(alice, secret.id, `${t} the launch date is friday`);
    const open = await createRoom(alice, { name: `Open ${uniqueName('q')}`, visibility: 'public' });
    await postMessage(alice, open.id, `${t} a public room carol never joined`);

    expect(ids(await search(bob, `${t} launch`))).toEqual([hidden.messageId]);
    expect(ids(await search(carol, t))).toEqual([]);
    // `in:` a private room one is not in looks exactly like an unknown room.
    const inSecret = await search(carol, `${t} in:${secret.slug}`);
    const inNothing = await search(carol, `${t} in:no-such-room-${t}`);
    expect(inSecret).toEqual(inNothing);

    expect((await bob.api.post(`/rooms/${secret.id}/leave`)).status).toBe(204);
    expect(ids(await search(bob, `${t} launch`))).toEqual([]);
  });

  it("carries each result's reactions, as a history page does", async () => {
    const t = tag();
    const liked = await postMessage(alice, room.id, `${t} ship it`);
    const plain = await postMessage(alice, room.id, `${t} nobody reacts`);
    const react = (account: Account, emoji: string) =>
      account.api.put(`/messages/${liked.messageId}/reactions/${encodeURIComponent(emoji)}`);
    for (const answer of [await react(bob, '👍'), await react(alice, '👍'), await react(bob, '🎉')]) {
      expect(answer.status, answer.text).toBe(200);
    }
    const found = await search(bob, t);
    expect(ids(found)).toEqual([plain.messageId, liked.messageId]);
    expect(found.results[0]?.message.reactions).toBeUndefined();
    const reactions = found.results[1]?.message.reactions ?? [];
    expect(reactions.map(({ emoji, count }) => ({ emoji, count }))).toEqual([
      { emoji: '👍', count: 2 },
      { emoji: '🎉', count: 1 },
    ]);
    expect(reactions[0]?.users.map((user) => user.id).sort()).toEqual([alice.user.id, bob.user.id].sort());
  });

  it('pages newest first with a cursor', async () => {
    const t = tag();
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push((await postMessage(alice, room.id, `${t} page ${i}`)).messageId);
    const first = await search(alice, t, '&limit=2');
    expect(ids(first)).toEqual([sent[4], sent[3]]);
    expect(first).toMatchObject({ hasMore: true, nextCursor: sent[3] });
    const second = await search(alice, t, `&limit=2&before=${first.nextCursor}`);
    expect(ids(second)).toEqual([sent[2], sent[1]]);
    const third = await search(alice, t, `&limit=2&before=${second.nextCursor}`);
    expect(ids(third)).toEqual([sent[0]]);
    expect(third.hasMore).toBe(false);
    expect(third.nextCursor).toBeUndefined();
  });

  it('refuses bad input with 400 and a clear message', async () => {
    expect(await refused(alice, '')).toMatch(/q/);
    expect(await refused(alice, 'q=%20%20')).toMatch(/q/);
    expect(await refused(alice, 'q=hello&limit=0')).toMatch(/limit/);
    expect(await refused(alice, 'q=hello&limit=51')).toMatch(/limit/);
    expect(await refused(alice, 'q=hello&before=yesterday')).toMatch(/before/);
    expect(await refused(alice, `q=${encodeURIComponent('hello before:2026-02-30')}`)).toMatch(/YYYY-MM-DD/);
    expect(await refused(alice, `q=${encodeURIComponent('hello has:image')}`)).toMatch(/has:file/);
    expect(await refused(alice, `q=${encodeURIComponent('hello from:')}`)).toMatch(/from:/);
    expect((await request(server, '/search?q=hello')).status).toBe(401);
  });
});

describe('permalinks', () => {
  let room: Room;
  let sent: { messageId: string; seq: number }[];

  beforeAll(async () => {
    room = await createRoom(alice, { name: `Links ${uniqueName('l')}`, visibility: 'private' });
    sent = [];
    for (let i = 0; i < 9; i++) sent.push(await postMessage(alice, room.id, `linked ${i}`));
  });

  it('answers GET /messages/:id to a member, and 404 to anyone else', async () => {
    const target = sent[4];
    const response = await alice.api.get<{ message: Message }>(`/messages/${target?.messageId}`);
    expect(response.status, response.text).toBe(200);
    expect(response.body.message).toMatchObject({ id: target?.messageId, roomId: room.id, text: 'linked 4' });

    const stranger = await carol.api.get(`/messages/${target?.messageId}`);
    const unknown = await carol.api.get('/messages/0190f0f0-0000-7000-8000-000000000000');
    expect(stranger.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(errorOf(stranger)).toEqual(errorOf(unknown));
  });

  it('reads a page of history centred on a seq', async () => {
    const centre = sent[4];
    const page = await alice.api.get<MessagesAroundResponse>(
      `/rooms/${room.id}/messages?around=${centre?.seq}&limit=4`,
    );
    expect(page.status, page.text).toBe(200);
    expect(page.body.messages.map((message) => message.text)).toEqual([
      'linked 3',
      'linked 4',
      'linked 5',
      'linked 6',
    ]);
    expect(page.body).toMatchObject({ hasMore: true, hasMoreAfter: true });

    const atEnd = await alice.api.get<MessagesAroundResponse>(
      `/rooms/${room.id}/messages?around=${sent[8]?.seq}&limit=50`,
    );
    expect(atEnd.body.messages.map((message) => message.text)).toEqual(sent.map((_, i) => `linked ${i}`));
    expect(atEnd.body).toMatchObject({ hasMore: false, hasMoreAfter: false });

    expect((await carol.api.get(`/rooms/${room.id}/messages?around=${centre?.seq}`)).status).toBe(404);
    const bad = await alice.api.get(`/rooms/${room.id}/messages?around=middle`);
    expect(bad.status).toBe(400);
    expect(errorOf(bad).message).toMatch(/around/);
  });
});
