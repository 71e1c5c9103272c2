/**
 * The authorization matrix: every room endpoint and socket frame, tried by every kind of actor
 * on every kind of room, each cell checked against the contract ("Who may see what", "Rooms",
 * "The room log", "Jobs", "WebSocket"). The table below is the whole specification; the cells
 * are generated from it.
 *
 * Actors: a stranger (registered, not in the room), a plain member, a room admin (a member the
 * owner promoted with `PATCH /rooms/:id/members/:userId`), the room's owner, and the instance
 * admin (the first account, never a member of the rooms under test).
 *
 * Not applicable, on purpose:
 * - "owner" or "room admin" of a DM: a DM has no roles, every participant is a plain member.
 * - acting on one's "own message" as a non-member: a non-member has none there.
 * - removing "the owner" of a DM: there is none.
 */
import type { Job, Member, MessageReceipts, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  type ApiResponse,
  connectSocket,
  createRoom,
  getRoom,
  isEvent,
  listRooms,
  postMessage,
  register,
  roomEvents,
  type Socket,
  uniqueName,
} from '../support/client.js';
import { makePng } from '../support/files.js';
import {
  addMember,
  barrier,
  eventsAfter,
  joinRoom,
  membersOf,
  messageAt,
  openDm,
  outcomeOf,
  type SharedFile,
  setRole,
  shareImage,
} from '../support/rooms.js';
import { startServer, type TestServer } from '../support/server.js';

type Kind = 'public' | 'private' | 'dm';
type ActorName = 'stranger' | 'member' | 'room admin' | 'owner' | 'instance admin';
/** What an actor is in the room under test. */
type Standing = 'outsider' | 'member' | 'admin' | 'owner';

const KINDS: readonly Kind[] = ['public', 'private', 'dm'];
const ACTORS: readonly ActorName[] = ['stranger', 'member', 'room admin', 'owner', 'instance admin'];

const FORBIDDEN = '403 forbidden';
const NOT_FOUND = '404 not_found';
const CONFLICT = '409 conflict';

/** One answer for every kind, or one per kind (a kind left out has no cell: nothing to act on). */
type PerKind = string | Partial<Record<Kind, string>>;

/**
 * "A private room or DM is 404 to non-members everywhere"; a public room answers `publicAnswer`
 * (403 "not a member of a public room", or what the endpoint shows anyone).
 */
const outsiders = (publicAnswer: string): Record<Kind, string> => ({
  public: publicAnswer,
  private: NOT_FOUND,
  dm: NOT_FOUND,
});

/** Room owner/admin powers: a member is refused with 403; in a DM (no owner) the server says 409. */
const moderatorOnly: Record<Kind, string> = { public: FORBIDDEN, private: FORBIDDEN, dm: CONFLICT };

interface Expected {
  outsider?: PerKind;
  member?: PerKind;
  /** The room admin; where it has no power beyond a member's, the member's answer. */
  admin?: PerKind;
  owner?: PerKind;
  /** Overrides `outsider` for the instance admin (jobs are visible to it). */
  instanceAdmin?: PerKind;
}

interface World {
  kind: Kind;
  room: Room;
  /** Absent in a DM. */
  owner: Account | undefined;
  /** The member the owner promoted to room admin; absent in a DM. */
  admin: Account | undefined;
  member: Account;
  /** Another plain member: the author of what others act on, and the one others remove. */
  bystander: Account;
}

/** The long-lived room of a kind, with what was posted in it during setup. */
interface SharedWorld extends World {
  bystanderJob: Job;
  /** The message of `bystanderJob`. */
  bystanderMessageId: string;
  file: SharedFile;
}

interface Cell {
  kind: Kind;
  actor: Account;
  socket: Socket;
  /** The room under test: the shared one, or a fresh one for a `freshRoom` row. */
  world: World;
  shared: SharedWorld;
}

interface Row {
  endpoint: string;
  expected: Expected;
  /** Public and private cells act on a room of their own, so their changes disturb no other cell. */
  freshRoom?: boolean;
  /** Does what the row says and describes what came back, in the vocabulary of `expected`. */
  run(cell: Cell): Promise<string>;
}

let server: TestServer;
let instanceAdmin: Account;
let owner: Account;
let member: Account;
/** A member of every public and private room under test, promoted to room admin by the owner. */
let roomAdmin: Account;
let bystander: Account;
let stranger: Account;
/** In none of the rooms: the one the "add" cells add (each to a fresh room). */
let newcomer: Account;
/** The account the deactivation cells try to deactivate. */
let deactivationTarget: Account;
const worlds = new Map<Kind, SharedWorld>();
const sockets = new Map<ActorName, Socket>();
/** The bystander's socket: proof that a room event was delivered to somebody. */
let observer: Socket;

// ---------- what the cells do ----------

async function sendOverSocket({ socket, world }: Cell): Promise<string> {
  const ref = uniqueName('send');
  socket.send({ type: 'send', ref, roomId: world.room.id, text: `over the socket ${ref}` });
  const answer = await socket.next(
    (frame) => (frame.type === 'sent' || frame.type === 'error') && frame.ref === ref,
    5_000,
    `the answer to send ${ref}`,
  );
  return answer.type === 'error' ? `error ${answer.code}` : answer.type;
}

async function liveEvents({ socket, world }: Cell): Promise<string> {
  const roomId = world.room.id;
  const { messageId } = await postMessage(world.bystander, roomId, `live ${uniqueName('m')}`);
  const isThisMessage = isEvent(
    roomId,
    'message.created',
    (frame) =>
      frame.type === 'event' &&
      frame.event.type === 'message.created' &&
      frame.event.data.message.id === messageId,
  );
  await observer.next(isThisMessage, 5_000, `message.created ${messageId} on the bystander's socket`);
  await barrier(socket);
  if (socket.frames.some(isThisMessage)) return 'received';
  const others = roomEvents(socket, roomId).length;
  return others === 0 ? 'nothing' : `${others} other events of the room`;
}

/** Edits or deletes a fresh message by `author`, and checks the message agrees with the answer. */
async function actOnMessage(cell: Cell, author: Account, action: 'edit' | 'delete'): Promise<string> {
  const roomId = cell.world.room.id;
  const original = `to ${action} ${uniqueName('m')}`;
  const { messageId, seq } = await postMessage(author, roomId, original);
  const response =
    action === 'edit'
      ? await cell.actor.api.patch(`/messages/${messageId}`, { text: `${original} (edited)` })
      : await cell.actor.api.delete(`/messages/${messageId}`);
  const outcome = outcomeOf(response);
  const after = await messageAt(cell.world.bystander, roomId, seq);
  const changed =
    action === 'edit' ? after?.text !== original : after === undefined || after.deleted === true;
  if (response.status < 400 && !changed) return `${outcome}, but the message is unchanged`;
  if (response.status >= 400 && changed) return `${outcome}, but the message changed`;
  return outcome;
}

/**
 * Makes the bystander a room admin, and checks the member list and the room log agree with the
 * answer: `"200, role admin"` for a success, the refusal otherwise.
 */
async function promoteBystander({ actor, world }: Cell): Promise<string> {
  const roomId = world.room.id;
  const target = world.bystander;
  const before = (await getRoom(target, roomId)).lastSeq;
  const response = await actor.api.patch<{ member: Member }>(`/rooms/${roomId}/members/${target.user.id}`, {
    role: 'admin',
  });
  const outcome = response.status === 200 ? `200, role ${response.body.member.role}` : outcomeOf(response);
  const role = (await membersOf(target, roomId)).find(
    (candidate) => candidate.user.id === target.user.id,
  )?.role;
  const logged = (await eventsAfter(target, roomId, before)).some(
    (event) =>
      event.type === 'member.role_changed' &&
      event.data.user.id === target.user.id &&
      event.data.role === 'admin',
  );
  if (response.status < 400 && (role !== 'admin' || !logged))
    return `${outcome}, but the bystander is ${role}${logged ? '' : ' and no member.role_changed was logged'}`;
  if (response.status >= 400 && (role !== 'member' || logged))
    return `${outcome}, but the bystander is ${role}`;
  return outcome;
}

/** Asks for the receipts of a message, and checks a 200 is about that message. */
async function receiptsOf(actor: Account, messageId: string): Promise<string> {
  const response = await actor.api.get<{ receipts: MessageReceipts }>(`/messages/${messageId}/receipts`);
  if (response.status === 200 && response.body.receipts?.messageId !== messageId)
    return `200, but the receipts are of ${response.body.receipts?.messageId}`;
  return outcomeOf(response);
}

/** `"200, membership owner"` for a room answer, the refusal otherwise. */
async function roomAnswer(response: Promise<ApiResponse<{ room: Room }>>): Promise<string> {
  const answer = await response;
  if (answer.status !== 200) return outcomeOf(answer);
  return `200, membership ${answer.body.room.membership}`;
}

// ---------- the table ----------

const ROWS: Row[] = [
  {
    endpoint: 'GET /rooms (listing)',
    expected: {
      outsider: { public: 'listed, membership null', private: 'not listed', dm: 'not listed' },
      member: 'listed, membership member',
      admin: 'listed, membership admin',
      owner: 'listed, membership owner',
    },
    async run({ actor, world }) {
      const room = (await listRooms(actor)).find((candidate) => candidate.id === world.room.id);
      return room ? `listed, membership ${room.membership}` : 'not listed';
    },
  },
  {
    endpoint: 'GET /rooms/:id',
    expected: {
      outsider: outsiders('200, membership null'),
      member: '200, membership member',
      admin: '200, membership admin',
      owner: '200, membership owner',
    },
    run: ({ actor, world }) => roomAnswer(actor.api.get<{ room: Room }>(`/rooms/${world.room.id}`)),
  },
  {
    endpoint: 'GET /rooms/:id/messages',
    expected: { outsider: outsiders(FORBIDDEN), member: '200', owner: '200' },
    run: async ({ actor, world }) => outcomeOf(await actor.api.get(`/rooms/${world.room.id}/messages`)),
  },
  {
    endpoint: 'GET /rooms/:id/events',
    expected: { outsider: outsiders(FORBIDDEN), member: '200', owner: '200' },
    run: async ({ actor, world }) => outcomeOf(await actor.api.get(`/rooms/${world.room.id}/events`)),
  },
  {
    endpoint: 'GET /rooms/:id/members',
    expected: { outsider: outsiders(FORBIDDEN), member: '200', owner: '200' },
    run: async ({ actor, world }) => outcomeOf(await actor.api.get(`/rooms/${world.room.id}/members`)),
  },
  {
    endpoint: 'POST /jobs (message)',
    expected: { outsider: outsiders(FORBIDDEN), member: '202', owner: '202' },
    run: async ({ actor, world }) =>
      outcomeOf(
        await actor.api.post('/jobs', { type: 'message', roomId: world.room.id, text: 'knock knock' }),
      ),
  },
  {
    endpoint: 'POST /jobs (file)',
    expected: { outsider: outsiders(FORBIDDEN), member: '202', owner: '202' },
    run: async ({ actor, world }) =>
      outcomeOf(
        await actor.api.post('/jobs', {
          type: 'file',
          roomId: world.room.id,
          fileName: 'dot.png',
          contentType: 'image/png',
          data: makePng(2, 2).toString('base64'),
        }),
      ),
  },
  {
    endpoint: 'GET /files/:id',
    expected: { outsider: outsiders(FORBIDDEN), member: '200', owner: '200' },
    run: async ({ actor, shared }) => outcomeOf(await actor.api.get(shared.file.attachment.url)),
  },
  {
    endpoint: 'GET /files/:id/thumbnail',
    expected: { outsider: outsiders(FORBIDDEN), member: '200', owner: '200' },
    async run({ actor, shared }) {
      const url = shared.file.attachment.thumbnailUrl;
      if (!url) return 'the image has no thumbnailUrl';
      return outcomeOf(await actor.api.get(url));
    },
  },
  {
    // "only its submitter (or an instance admin) sees it; others 404", whatever the room.
    endpoint: "GET /jobs/:id (another user's job)",
    expected: { outsider: NOT_FOUND, member: NOT_FOUND, owner: NOT_FOUND, instanceAdmin: '200' },
    run: async ({ actor, shared }) => outcomeOf(await actor.api.get(`/jobs/${shared.bystanderJob.id}`)),
  },
  {
    endpoint: 'PATCH /messages/:id (own message)',
    expected: { member: '200', owner: '200' },
    run: (cell) => actOnMessage(cell, cell.actor, 'edit'),
  },
  {
    // "author only": the owner or a room admin may delete another's message but not edit it.
    endpoint: "PATCH /messages/:id (another member's message)",
    expected: { outsider: outsiders(FORBIDDEN), member: FORBIDDEN, admin: FORBIDDEN, owner: FORBIDDEN },
    run: (cell) => actOnMessage(cell, cell.world.bystander, 'edit'),
  },
  {
    endpoint: 'DELETE /messages/:id (own message)',
    expected: { member: '204', owner: '204' },
    run: (cell) => actOnMessage(cell, cell.actor, 'delete'),
  },
  {
    endpoint: "DELETE /messages/:id (another member's message)",
    expected: { outsider: outsiders(FORBIDDEN), member: FORBIDDEN, admin: '204', owner: '204' },
    run: (cell) => actOnMessage(cell, cell.world.bystander, 'delete'),
  },
  {
    // Not in the contract; the server's rule: owner/admin only, and a DM has no name to change (409).
    endpoint: 'PATCH /rooms/:id (topic)',
    expected: { outsider: outsiders(FORBIDDEN), member: moderatorOnly, admin: '200', owner: '200' },
    run: async ({ actor, world }) =>
      outcomeOf(await actor.api.patch(`/rooms/${world.room.id}`, { topic: `topic ${uniqueName('t')}` })),
  },
  {
    // Not in the contract; the server's rule: the author only, whatever the reader's role.
    endpoint: "GET /messages/:id/receipts (another member's message)",
    expected: { outsider: outsiders(FORBIDDEN), member: FORBIDDEN, admin: FORBIDDEN, owner: FORBIDDEN },
    run: ({ actor, shared }) => receiptsOf(actor, shared.bystanderMessageId),
  },
  {
    endpoint: 'GET /messages/:id/receipts (own message)',
    expected: { member: '200', owner: '200' },
    async run({ actor, world }) {
      const { messageId } = await postMessage(actor, world.room.id, `receipts ${uniqueName('m')}`);
      return receiptsOf(actor, messageId);
    },
  },
  {
    endpoint: 'WS send frame',
    expected: {
      outsider: { public: 'error forbidden', private: 'error not_found', dm: 'error not_found' },
      member: 'sent',
      owner: 'sent',
    },
    run: sendOverSocket,
  },
  {
    endpoint: 'WS live room events',
    expected: { outsider: 'nothing', member: 'received', owner: 'received' },
    run: liveEvents,
  },
  {
    endpoint: 'WS ready frame lists the room',
    expected: { outsider: 'not listed', member: 'listed', owner: 'listed' },
    run: async ({ socket, world }) =>
      socket.ready.rooms.some((room) => room.roomId === world.room.id) ? 'listed' : 'not listed',
  },
  // From here on the rows change who is in the room: public and private cells get a fresh room.
  // (A DM cannot be remade for the same pair; every DM cell here must be refused anyway.)
  {
    // A member joining again is a no-op 200 (the contract only names the public and the 404 case).
    endpoint: 'POST /rooms/:id/join',
    freshRoom: true,
    expected: {
      outsider: outsiders('200, membership member'),
      member: '200, membership member',
      admin: '200, membership admin',
      owner: '200, membership owner',
    },
    run: ({ actor, world }) => roomAnswer(actor.api.post<{ room: Room }>(`/rooms/${world.room.id}/join`)),
  },
  {
    // A non-member leaving a public room: the contract's 403 "not a member of a public room".
    endpoint: 'POST /rooms/:id/leave',
    freshRoom: true,
    expected: {
      outsider: outsiders(FORBIDDEN),
      member: { public: '204', private: '204', dm: CONFLICT },
      owner: '204',
    },
    run: async ({ actor, world }) => outcomeOf(await actor.api.post(`/rooms/${world.room.id}/leave`)),
  },
  {
    // Ambiguity: the contract says owner/admin add; in a DM (which has neither) the server answers
    // 409 "people cannot be added to a direct message" rather than 403. Both refuse; 409 is kept.
    endpoint: 'POST /rooms/:id/members (add a newcomer)',
    freshRoom: true,
    expected: { outsider: outsiders(FORBIDDEN), member: moderatorOnly, admin: '201', owner: '201' },
    run: async ({ actor, world }) =>
      outcomeOf(await actor.api.post(`/rooms/${world.room.id}/members`, { username: newcomer.username })),
  },
  {
    // Same ambiguity as adding: in a DM the server answers 409 (a DM cannot be left) before 403.
    endpoint: 'DELETE /rooms/:id/members/:userId (another member)',
    freshRoom: true,
    expected: { outsider: outsiders(FORBIDDEN), member: moderatorOnly, admin: '204', owner: '204' },
    run: async ({ actor, world }) =>
      outcomeOf(await actor.api.delete(`/rooms/${world.room.id}/members/${world.bystander.user.id}`)),
  },
  {
    // "owner/admin removes", but nobody removes the owner (for the owner itself it is leaving).
    endpoint: 'DELETE /rooms/:id/members/:userId (the owner)',
    freshRoom: true,
    expected: {
      outsider: { public: FORBIDDEN, private: NOT_FOUND },
      member: { public: FORBIDDEN, private: FORBIDDEN },
      admin: FORBIDDEN,
      owner: '204',
    },
    async run({ actor, world }) {
      if (!world.owner) return 'the room has no owner';
      return outcomeOf(await actor.api.delete(`/rooms/${world.room.id}/members/${world.owner.user.id}`));
    },
  },
  {
    // Not in the contract; the server's rule: the owner only; in a DM (no roles) 409, as for adding.
    endpoint: 'PATCH /rooms/:id/members/:userId (make the bystander an admin)',
    freshRoom: true,
    expected: {
      outsider: outsiders(FORBIDDEN),
      member: moderatorOnly,
      admin: FORBIDDEN,
      owner: '200, role admin',
    },
    run: promoteBystander,
  },
  {
    endpoint: 'DELETE /rooms/:id/members/:userId (itself)',
    freshRoom: true,
    expected: {
      outsider: outsiders(FORBIDDEN),
      member: { public: '204', private: '204', dm: CONFLICT },
      owner: '204',
    },
    run: async ({ actor, world }) =>
      outcomeOf(await actor.api.delete(`/rooms/${world.room.id}/members/${actor.user.id}`)),
  },
];

// ---------- the matrix ----------

function standingOf(actor: ActorName, kind: Kind): Standing | undefined {
  switch (actor) {
    case 'stranger':
    case 'instance admin':
      return 'outsider';
    case 'member':
      return 'member';
    case 'owner':
      return kind === 'dm' ? undefined : 'owner';
    case 'room admin':
      return kind === 'dm' ? undefined : 'admin';
  }
}

/** The contract's answer for one cell, or undefined where the cell does not exist. */
function expectedFor(row: Row, actor: ActorName, kind: Kind): string | undefined {
  const standing = standingOf(actor, kind);
  if (standing === undefined) return undefined;
  const answer =
    actor === 'instance admin' && row.expected.instanceAdmin !== undefined
      ? row.expected.instanceAdmin
      : standing === 'admin'
        ? (row.expected.admin ?? row.expected.member)
        : row.expected[standing];
  if (answer === undefined) return undefined;
  return typeof answer === 'string' ? answer : answer[kind];
}

function accountOf(actor: ActorName): Account {
  const accounts: Partial<Record<ActorName, Account>> = {
    stranger,
    member,
    'room admin': roomAdmin,
    owner,
    'instance admin': instanceAdmin,
  };
  const account = accounts[actor];
  if (!account) throw new Error(`no account plays ${actor}`);
  return account;
}

function socketOf(actor: ActorName): Socket {
  const socket = sockets.get(actor);
  if (!socket) throw new Error(`no socket for ${actor}`);
  return socket;
}

function sharedWorld(kind: Kind): SharedWorld {
  const world = worlds.get(kind);
  if (!world) throw new Error(`no ${kind} room was set up`);
  return world;
}

/**
 * A room of `kind` made by the owner, with the member, the bystander and the room admin in it
 * (joined side by side); the owner then promotes the room admin.
 */
async function freshWorld(kind: 'public' | 'private'): Promise<World> {
  const room = await createRoom(owner, { name: `${kind} ${uniqueName('room')}`, visibility: kind });
  await Promise.all(
    [member, bystander, roomAdmin].map((person) =>
      kind === 'public' ? joinRoom(person, room.id) : addMember(owner, room.id, person.username),
    ),
  );
  expect((await setRole(owner, room.id, roomAdmin.user.id, 'admin')).role).toBe('admin');
  return { kind, room, owner, admin: roomAdmin, member, bystander };
}

async function sharedWorldOf(kind: Kind): Promise<SharedWorld> {
  let world: World;
  if (kind === 'dm') {
    const response = await openDm(member, { username: bystander.username });
    expect(response.status, response.text).toBe(201);
    world = { kind, room: response.body.room, owner: undefined, admin: undefined, member, bystander };
  } else {
    world = await freshWorld(kind);
  }
  const { job, messageId } = await postMessage(bystander, world.room.id, `hello from the ${kind} room`);
  const file = await shareImage(bystander, world.room.id);
  return { ...world, bystanderJob: job, bystanderMessageId: messageId, file };
}

beforeAll(async () => {
  // No send limit: the matrix posts a few hundred messages within a minute.
  server = await startServer({ env: { RATE_LIMIT_SENDS_PER_MINUTE: '0' } });
  instanceAdmin = await register(server, uniqueName('root'));
  expect(instanceAdmin.user.role).toBe('admin');
  const person = (name: string) => register(server, uniqueName(name));
  [owner, member, roomAdmin, bystander, stranger, newcomer, deactivationTarget] = await Promise.all([
    person('owner'),
    person('member'),
    person('roomadmin'),
    person('bystander'),
    person('stranger'),
    person('newcomer'),
    person('target'),
  ]);
  for (const kind of KINDS) worlds.set(kind, await sharedWorldOf(kind));
  for (const actor of ACTORS) sockets.set(actor, await connectSocket(server, accountOf(actor).token));
  observer = await connectSocket(server, bystander.token);
});

afterAll(async () => {
  await Promise.all([...sockets.values(), observer].filter(Boolean).map((socket) => socket.close()));
  await server?.dispose();
});

// The cells of a row are independent (each reads the shared rooms, or acts on its own message or
// room), so they run side by side; the rows run one after the other.
for (const row of ROWS) {
  describe.concurrent(row.endpoint, () => {
    for (const kind of KINDS) {
      for (const actor of ACTORS) {
        const name = `${actor} × ${kind} × ${row.endpoint}`;
        const expected = expectedFor(row, actor, kind);
        if (expected === undefined) continue;
        it(`${name} → ${expected}`, async ({ expect }) => {
          const shared = sharedWorld(kind);
          const world = row.freshRoom && kind !== 'dm' ? await freshWorld(kind) : shared;
          const cell: Cell = { kind, actor: accountOf(actor), socket: socketOf(actor), world, shared };
          expect(await row.run(cell)).toBe(expected);
        });
      }
    }
  });
}

// ---------- instance administration: the same actors, no room involved ----------

interface AdminRow {
  endpoint: string;
  /** What the instance admin gets; everyone else: "Instance admins only (others 403)". */
  admin: string;
  run(actor: Account): Promise<string>;
}

const ADMIN_ROWS: AdminRow[] = [
  {
    endpoint: 'GET /admin/users',
    admin: '200',
    run: async (actor) => outcomeOf(await actor.api.get('/admin/users')),
  },
  {
    endpoint: 'GET /admin/rooms',
    admin: '200',
    run: async (actor) => outcomeOf(await actor.api.get('/admin/rooms')),
  },
  {
    endpoint: 'GET /admin/dlq',
    admin: '200',
    run: async (actor) => outcomeOf(await actor.api.get('/admin/dlq')),
  },
  {
    endpoint: 'GET /admin/audit',
    admin: '200',
    run: async (actor) => outcomeOf(await actor.api.get('/admin/audit')),
  },
  {
    endpoint: 'POST /admin/dlq/:id/retry (unknown job)',
    admin: NOT_FOUND,
    run: async (actor) => outcomeOf(await actor.api.post('/admin/dlq/no-such-job/retry')),
  },
  {
    endpoint: 'POST /admin/users/:id/deactivate',
    admin: '200',
    // The instance admin comes last among the actors, so the others try on a still active account.
    run: async (actor) =>
      outcomeOf(await actor.api.post(`/admin/users/${deactivationTarget.user.id}/deactivate`)),
  },
];

describe('instance administration', () => {
  for (const row of ADMIN_ROWS) {
    for (const actor of ACTORS) {
      const expected = actor === 'instance admin' ? row.admin : FORBIDDEN;
      it(`${actor} × instance × ${row.endpoint} → ${expected}`, async () => {
        expect(await row.run(accountOf(actor))).toBe(expected);
      });
    }
  }
});
