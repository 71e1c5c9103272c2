/**
 * The storage contract: what every Database implementation (SQLite now, PostgreSQL when scaled
 * out) must guarantee. Each implementation's test file runs this same suite on a real database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../core/ids.js';
import type { Database, Repositories } from '../core/ports/database.js';
import type { JobRecord, UserRecord } from '../core/ports/records.js';
import { appendEvent } from '../core/rooms/room-log.js';
import type { Transaction } from '../core/unit-of-work.js';

/** Storage alone: the events these tests append are not published anywhere. */
const withoutFanOut = (tx: Repositories): Transaction => ({ ...tx, publishAfterCommit: () => {} });

const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

function userRecord(username: string): UserRecord {
  return {
    id: newId(),
    username,
    displayName: username,
    role: 'member',
    passwordHash: 'x',
    deactivatedAt: null,
    createdAt: iso(),
  };
}

function jobRecord(userId: string, roomId: string, key: string | null): JobRecord {
  return {
    id: newId(),
    userId,
    roomId,
    type: 'message',
    status: 'queued',
    payload: { type: 'message', text: 'hi' },
    idempotencyKey: key,
    requestHash: 'h',
    attempts: 0,
    maxAttempts: 5,
    runAt: iso(),
    leaseUntil: null,
    errorCode: null,
    errorMessage: null,
    resultMessageId: null,
    resultSeq: null,
    createdAt: iso(),
    updatedAt: iso(),
  };
}

export function describeDatabaseContract(name: string, open: () => Promise<Database>): void {
  describe(`Database contract: ${name}`, () => {
    let db: Database;
    let user: UserRecord;
    let roomId: string;

    beforeEach(async () => {
      db = await open();
      user = userRecord(`u${Math.random().toString(36).slice(2, 10)}`);
      expect(await db.users.insert(user)).toBe(true);
      roomId = newId();
      await db.rooms.insert({
        id: roomId,
        slug: `r-${roomId.slice(-12)}`,
        name: 'room',
        topic: '',
        visibility: 'public',
        lastSeq: 0,
        createdAt: iso(),
        dmKey: null,
      });
      await db.memberships.insert({ roomId, userId: user.id, role: 'member', joinedAt: iso(), ackSeq: 0 });
    });

    afterEach(async () => {
      await db.close();
    });

    const append = () =>
      db.transaction((tx) =>
        appendEvent(withoutFanOut(tx), roomId, user, () => ({
          type: 'message.deleted' as const,
          data: { messageId: 'm' },
        })),
      );

    it('gives concurrent appends gapless, unique seqs in commit order', async () => {
      const events = await Promise.all(Array.from({ length: 40 }, append));
      const seqs = events.map((event) => event.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const stored = await db.events.listAfter(roomId, 0, 100);
      expect(stored.map((event) => event.seq)).toEqual(seqs);
      expect((await db.rooms.findById(roomId))?.lastSeq).toBe(40);
    });

    it('a failed transaction leaves no event and uses up no seq', async () => {
      await append();
      await expect(
        db.transaction(async (tx) => {
          await appendEvent(withoutFanOut(tx), roomId, user, () => ({
            type: 'message.deleted' as const,
            data: { messageId: 'x' },
          }));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const next = await append();
      expect(next.seq).toBe(2);
      expect((await db.events.listAfter(roomId, 0, 10)).map((event) => event.seq)).toEqual([1, 2]);
    });

    it('refuses a second user with the same name', async () => {
      expect(await db.users.insert({ ...userRecord(user.username), id: newId() })).toBe(false);
    });

    it('makes one job of many concurrent inserts with the same idempotency key', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => db.jobs.insert(jobRecord(user.id, roomId, 'same-key'))),
      );
      const inserted = results.filter((result) => result.inserted);
      expect(inserted).toHaveLength(1);
      const ids = new Set(results.map((result) => (result.inserted ? 'new' : result.existing.id)));
      expect(ids.size).toBe(2); // 'new' once, and the one existing id for every other insert
    });

    it('lets a job be claimed once, and again only after its lease expired', async () => {
      const job = jobRecord(user.id, roomId, null);
      await db.jobs.insert(job);
      const claimed = await db.jobs.claimNext(iso(), iso(-1), ['message']);
      expect(claimed?.id).toBe(job.id);
      expect(claimed?.status).toBe('processing');
      expect(claimed?.attempts).toBe(1);
      // The lease (set in the past above) has expired: another worker may take it over.
      const reclaimed = await db.jobs.claimNext(iso(), iso(60_000), ['message']);
      expect(reclaimed?.attempts).toBe(2);
      expect(await db.jobs.claimNext(iso(), iso(60_000), ['message'])).toBeUndefined();
    });

    it('starts a batch of attempts in one call, tells who holds what, and completes a job', async () => {
      const jobs = [jobRecord(user.id, roomId, null), jobRecord(user.id, roomId, null)];
      for (const job of jobs) await db.jobs.insert(job);
      const ids = jobs.map((job) => job.id);
      const started = await db.jobs.startAttempts(ids, iso(), iso(60_000));
      expect([...started]).toEqual(expect.arrayContaining(ids.map((id) => [id, 1])));
      expect(await db.jobs.startAttempts([], iso(), iso(60_000))).toEqual(new Map());
      const held = await db.jobs.attemptsOf([...ids, 'missing']);
      expect(held.get(ids[0] as string)).toEqual({ status: 'processing', attempts: 1 });
      expect(held.has('missing')).toBe(false);
      const completed = await db.jobs.complete(ids[0] as string, { messageId: 'm1', seq: 7 }, iso());
      expect(completed).toEqual(await db.jobs.find(ids[0] as string));
      expect(completed).toMatchObject({
        status: 'completed',
        resultMessageId: 'm1',
        resultSeq: 7,
        leaseUntil: null,
      });
    });

    it('returns an inserted message exactly as reading it back gives it, with or without a file', async () => {
      const author = { id: user.id, username: user.username, displayName: user.displayName };
      const file = {
        id: newId(),
        roomId,
        uploaderId: user.id,
        blobKey: 'uploads/x',
        fileName: 'cat.png',
        contentType: 'image/png',
        size: 1234,
        width: 40,
        height: 30,
        thumbnailKey: 'thumbnails/x.webp',
        createdAt: iso(),
      };
      await db.files.insert(file);
      const record = (seq: number, fileId: string | null) => ({
        id: newId(),
        roomId,
        seq,
        authorId: user.id,
        text: `message ${seq}`,
        replyTo: null,
        fileId,
        createdAt: iso(),
        editedAt: null,
        deletedAt: null,
      });
      const plain = record(1, null);
      const withFile = record(2, file.id);
      const plainView = await db.messages.insert(plain, author, undefined);
      const fileView = await db.messages.insert(withFile, author, file);
      expect(plainView).toEqual(await db.messages.find(plain.id));
      expect(fileView).toEqual(await db.messages.find(withFile.id));
      // A history page shows each message as reading it back does, after an edit and a delete too.
      await db.messages.updateText(plain.id, 'edited', iso());
      await db.messages.markDeleted(withFile.id, iso());
      const page = await db.messages.page(roomId, {}, 10);
      expect(page.messages).toEqual([await db.messages.find(plain.id), await db.messages.find(withFile.id)]);
      expect(page.messages[0]).toMatchObject({ text: 'edited', editedAt: expect.any(String) });
      expect(page.messages[1]).toMatchObject({ deleted: true, text: '' });
      expect(page.messages[1]?.attachment).toBeUndefined();
      expect((await db.messages.page(roomId, { before: 2 }, 10)).messages.map((m) => m.seq)).toEqual([1]);
      expect((await db.messages.page(roomId, { after: 1 }, 10)).messages.map((m) => m.seq)).toEqual([2]);
      expect(fileView.attachment).toMatchObject({
        fileName: 'cat.png',
        width: 40,
        thumbnailUrl: expect.any(String),
      });
    });

    it('moves failed jobs to the dead letter queue and back', async () => {
      const job = jobRecord(user.id, roomId, null);
      await db.jobs.insert(job);
      await db.jobs.claimNext(iso(), iso(60_000), ['message']);
      await db.jobs.fail({ id: job.id, attempts: 2 }, { code: 'stale', message: 'an old claim' }, iso());
      expect((await db.jobs.find(job.id))?.status).toBe('processing');
      await db.jobs.fail({ id: job.id, attempts: 1 }, { code: 'bad', message: 'bad' }, iso());
      expect((await db.jobs.listFailed(10)).map((failed) => failed.id)).toEqual([job.id]);
      expect(await db.jobs.requeueFailed(job.id, iso())).toBe(true);
      expect(await db.jobs.requeueFailed(job.id, iso())).toBe(false);
      const requeued = await db.jobs.find(job.id);
      expect(requeued).toMatchObject({ status: 'queued', attempts: 0 });
      expect(await db.jobs.listFailed(10)).toEqual([]);
    });

    it('redeems a WebSocket ticket only once', async () => {
      const sessionId = newId();
      await db.sessions.insert({
        id: sessionId,
        userId: user.id,
        tokenHash: `t-${sessionId}`,
        createdAt: iso(),
        expiresAt: iso(60_000),
        revokedAt: null,
      });
      await db.tickets.insert({ ticketHash: 'ticket', sessionId, userId: user.id, expiresAt: iso(30_000) });
      const [first, second] = await Promise.all([
        db.tickets.consume('ticket', iso()),
        db.tickets.consume('ticket', iso()),
      ]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
    });

    it('redacts a deleted message from the events that carried it', async () => {
      const created = await db.transaction((tx) =>
        appendEvent(withoutFanOut(tx), roomId, user, (seq, at) => ({
          type: 'message.created' as const,
          data: {
            message: {
              id: 'msg-1',
              roomId,
              seq,
              author: { id: user.id, username: user.username, displayName: user.displayName },
              text: 'secret',
              createdAt: at,
              attachment: { id: 'f', fileName: 'a.png', contentType: 'image/png', size: 1, url: '/files/f' },
            },
          },
        })),
      );
      await db.events.redactMessage('msg-1');
      const [stored] = await db.events.listAfter(roomId, created.seq - 1, 1);
      expect(stored?.type).toBe('message.created');
      if (stored?.type !== 'message.created') return;
      expect(stored.data.message).toMatchObject({ id: 'msg-1', text: '', deleted: true });
      expect(stored.data.message.attachment).toBeUndefined();
    });

    it('moves the ack cursor only forward and never past the last seq', async () => {
      await append();
      await append();
      await db.memberships.advanceAck(roomId, user.id, 99);
      expect((await db.memberships.find(roomId, user.id))?.ackSeq).toBe(2);
      await db.memberships.advanceAck(roomId, user.id, 1);
      expect((await db.memberships.find(roomId, user.id))?.ackSeq).toBe(2);
    });
  });
}
