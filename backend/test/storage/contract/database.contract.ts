/**
 * The storage contract: what every Database implementation (SQLite embedded, PostgreSQL scaled
 * out) must guarantee to one instance. Each engine's test file runs this same suite on a real
 * database; multi-writer.contract.ts adds what must hold with several instances at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../../src/core/ids.js';
import { housekeeping } from '../../../src/core/jobs/housekeeping.js';
import type { Database, JobClaim } from '../../../src/core/ports/database.js';
import type { AuditRecord, JobRecord, UserRecord } from '../../../src/core/ports/records.js';
import { appendTestEvent, iso, jobRecord, refOf, seedMembers, seedRoom, userRecord } from '../fixtures.js';
import { openStore } from '../store-location.js';
import type { StorageTarget } from './storage-target.js';

export function describeDatabaseContract(target: StorageTarget): void {
  describe(`Database contract: ${target.name}`, () => {
    let db: Database;
    let user: UserRecord;
    let roomId: string;

    beforeEach(async () => {
      db = await openStore(await target.newStore());
      user = userRecord();
      expect(await db.users.insert(user)).toBe(true);
      roomId = await seedRoom(db, user);
    });

    afterEach(async () => {
      await db.close();
    });

    const append = () => db.transaction((tx) => appendTestEvent(tx, roomId, refOf(user)));

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
          await appendTestEvent(tx, roomId, refOf(user));
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

    it('gives the first account to one user only, and back when its sign-up rolls back', async () => {
      const first = userRecord();
      await expect(
        db.transaction(async (tx) => {
          expect(await tx.users.claimFirstAccount(first.id)).toBe(true);
          throw new Error('the sign-up failed after the claim');
        }),
      ).rejects.toThrow('the sign-up failed');
      expect(await db.users.claimFirstAccount(first.id)).toBe(true);
      expect(await db.users.claimFirstAccount(newId())).toBe(false);
      expect(await db.users.claimFirstAccount(first.id)).toBe(false);
    });

    it('makes one job of many concurrent inserts with the same idempotency key', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => db.jobs.insert(jobRecord(user.id, roomId, { key: 'same-key' }))),
      );
      const inserted = results.filter((result) => result.inserted);
      expect(inserted).toHaveLength(1);
      const ids = new Set(results.map((result) => (result.inserted ? 'new' : result.existing.id)));
      expect(ids.size).toBe(2); // 'new' once, and the one existing id for every other insert
    });

    it('lets a job be claimed once, and again only after its lease expired', async () => {
      const job = jobRecord(user.id, roomId);
      await db.jobs.insert(job);
      const claimed = await db.jobs.claimNext(iso(), iso(-1), ['message']);
      expect(claimed?.id).toBe(job.id);
      expect(claimed?.status).toBe('processing');
      expect(claimed?.attempts).toBe(1);
      // The lease (set in the past above) has expired: another worker may take it over.
      const reclaimed = await db.jobs.claimNext(iso(), iso(60_000), ['message']);
      expect(reclaimed?.attempts).toBe(2);
      // A running lease is nobody else's to take, whichever types the claimer asks for.
      expect(await db.jobs.claimNext(iso(), iso(60_000), ['message'])).toBeUndefined();
      expect(await db.jobs.claimNext(iso(), iso(60_000), [])).toBeUndefined();
    });

    it('hands a job back only while the releasing claim still holds it', async () => {
      const job = jobRecord(user.id, roomId);
      await db.jobs.insert(job);
      const stale = await db.jobs.claimNext(iso(), iso(-1), ['message']);
      const current = await db.jobs.claimNext(iso(), iso(60_000), ['message']);
      expect(current?.attempts).toBe(2);
      // The first claimer's lease ran out and another took the job: its release is ignored.
      await db.jobs.release([stale as JobClaim], iso());
      expect((await db.jobs.attemptsOf([job.id])).get(job.id)).toEqual({ status: 'processing', attempts: 2 });
      await db.jobs.release([current as JobClaim], iso());
      expect((await db.jobs.attemptsOf([job.id])).get(job.id)).toEqual({ status: 'queued', attempts: 2 });
    });

    it('ends every lease at once only when asked to (the embedded mode at start)', async () => {
      const job = jobRecord(user.id, roomId);
      await db.jobs.insert(job);
      await db.jobs.claimNext(iso(), iso(60_000), ['file', 'message']);
      await db.jobs.expireLeases(iso());
      const retaken = await db.jobs.claimNext(iso(1), iso(60_000), ['file']);
      expect(retaken).toMatchObject({ id: job.id, attempts: 2 });
    });

    it('claims a batch of due jobs of one type, room by room, each room in due order', async () => {
      const otherRoom = await seedRoom(db, user);
      const [first, second] = [roomId, otherRoom].sort();
      const due = [
        jobRecord(user.id, second as string, { runAt: iso(-5_000) }),
        jobRecord(user.id, first as string, { runAt: iso(-4_000) }),
        jobRecord(user.id, second as string, { runAt: iso(-3_000) }),
        jobRecord(user.id, first as string, { runAt: iso(-2_000) }),
      ];
      const later = jobRecord(user.id, roomId, { runAt: iso(60_000) });
      const file = { ...jobRecord(user.id, roomId), type: 'file' as const };
      for (const job of [...due, later, file]) await db.jobs.insert(job);

      const batch = await db.jobs.claimDueBatch('message', iso(), 10, iso(60_000));
      expect(batch.map((job) => job.id)).toEqual([due[1], due[3], due[0], due[2]].map((job) => job?.id));
      expect(batch.every((job) => job.status === 'processing' && job.attempts === 1)).toBe(true);
      expect(await db.jobs.claimDueBatch('message', iso(), 10, iso(60_000))).toEqual([]);
      const held = await db.jobs.attemptsOf([...batch.map((job) => job.id), later.id, 'missing']);
      expect(held.get(due[0]?.id as string)).toEqual({ status: 'processing', attempts: 1 });
      expect(held.get(later.id)).toEqual({ status: 'queued', attempts: 0 });
      expect(held.has('missing')).toBe(false);
    });

    it('claims no more of a batch than asked', async () => {
      for (let index = 0; index < 3; index++) await db.jobs.insert(jobRecord(user.id, roomId));
      expect(await db.jobs.claimDueBatch('message', iso(1), 2, iso(60_000))).toHaveLength(2);
      expect(await db.jobs.claimDueBatch('message', iso(1), 2, iso(60_000))).toHaveLength(1);
    });

    it('completes a job under its claim only, and tells a lost claim', async () => {
      const job = jobRecord(user.id, roomId);
      await db.jobs.insert(job);
      const stale = await db.jobs.claimNext(iso(), iso(-1), ['message']);
      const current = await db.jobs.claimNext(iso(), iso(60_000), ['message']);
      if (!stale || !current) throw new Error('the job was not claimed twice');

      expect(await db.jobs.complete(stale, { messageId: 'm0', seq: 6 }, iso())).toBeUndefined();
      expect(await db.jobs.find(job.id)).toMatchObject({ status: 'processing', attempts: 2 });
      const completed = await db.jobs.complete(current, { messageId: 'm1', seq: 7 }, iso());
      expect(completed).toEqual(await db.jobs.find(job.id));
      expect(completed).toMatchObject({
        status: 'completed',
        resultMessageId: 'm1',
        resultSeq: 7,
        leaseUntil: null,
      });
      expect(await db.jobs.complete(current, { messageId: 'm2', seq: 8 }, iso())).toBeUndefined();
    });

    it('completes many jobs at once under their claims only, and tells a lost claim', async () => {
      // 300 jobs: chunks of 256, 32, 8 and 4 rows.
      const jobs = Array.from({ length: 300 }, () => jobRecord(user.id, roomId));
      for (const job of jobs) await db.jobs.insert(job);
      const claimed = await db.jobs.claimDueBatch('message', iso(1), 300, iso(60_000));
      expect(claimed).toHaveLength(300);
      const completions = claimed.map((job, index) => ({
        id: job.id,
        attempts: job.attempts,
        messageId: `m${index}`,
        seq: index + 1,
      }));

      // One claim lost (another attempt holds that job): nothing to keep, the caller rolls back.
      const lost = completions.map((c, index) => (index === 299 ? { ...c, attempts: c.attempts + 1 } : c));
      await expect(
        db.transaction(async (tx) => {
          if (await tx.jobs.completeMany(lost, iso())) throw new Error('a lost claim was not told');
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await db.jobs.find(claimed[0]!.id)).toMatchObject({ status: 'processing' });

      const completed = await db.jobs.completeMany(completions, iso());
      expect(completed?.map((job) => job.id)).toEqual(claimed.map((job) => job.id));
      for (const [index, job] of (completed ?? []).entries()) {
        expect(job).toEqual(await db.jobs.find(job.id));
        expect(job).toMatchObject({
          status: 'completed',
          resultMessageId: `m${index}`,
          resultSeq: index + 1,
          leaseUntil: null,
        });
      }
      // Completed jobs are no longer processing: a second completion is a lost claim.
      expect(await db.jobs.completeMany(completions.slice(0, 1), iso())).toBeUndefined();
    });

    it('stores a batch of messages and their events as one by one would, with gapless seqs', async () => {
      const author = refOf(user);
      await db.transaction((tx) => appendTestEvent(tx, roomId, author));
      const count = 37; // chunks of 32, 4 and 1 rows
      const { views, first } = await db.transaction(async (tx) => {
        const first = await tx.rooms.takeNextSeqs(roomId, count);
        const records = Array.from({ length: count }, (_, index) => ({
          id: newId(),
          roomId,
          seq: first + index,
          authorId: user.id,
          text: `batch ${index}`,
          replyTo: null,
          fileId: null,
          createdAt: iso(),
          editedAt: null,
          deletedAt: null,
        }));
        const views = await tx.messages.insertMany(records.map((message) => ({ message, author })));
        await tx.events.insertMany(
          views.map((message) => ({
            roomId,
            seq: message.seq,
            type: 'message.created' as const,
            at: message.createdAt,
            actor: author,
            data: { message },
          })),
        );
        return { views, first };
      });
      expect(first).toBe(2);
      expect((await db.rooms.findById(roomId))?.lastSeq).toBe(1 + count);
      expect(views.map((view) => view.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 2));
      for (const view of views) expect(view).toEqual(await db.messages.find(view.id));
      const events = await db.events.listAfter(roomId, 1, 100);
      expect(events.map((event) => event.seq)).toEqual(views.map((view) => view.seq));
      expect(events.map((event) => (event.data as { message: { id: string } }).message.id)).toEqual(
        views.map((view) => view.id),
      );
      // The next single seq follows the batch.
      expect((await db.transaction((tx) => appendTestEvent(tx, roomId, author))).seq).toBe(2 + count);
    });

    it('returns an inserted message exactly as reading it back gives it, with or without a file', async () => {
      const author = refOf(user);
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
      const job = jobRecord(user.id, roomId);
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

    const DAY = 24 * 3600 * 1000;

    /** A job that ran and ended `ageMs` ago: completed with a message, or failed into the DLQ. */
    async function finishedJob(
      outcome: 'completed' | 'failed',
      ageMs: number,
      job = jobRecord(user.id, roomId),
    ) {
      await db.jobs.insert(job);
      const claim = await db.jobs.claimNext(iso(), iso(60_000), [job.type]);
      if (claim?.id !== job.id) throw new Error('the job was not claimed');
      if (outcome === 'completed') {
        await db.jobs.complete(claim, { messageId: newId(), seq: 1 }, iso(-ageMs));
      } else {
        await db.jobs.fail(claim, { code: 'bad', message: 'bad' }, iso(-ageMs));
      }
      return job;
    }

    const fileJob = (): JobRecord => ({
      ...jobRecord(user.id, roomId),
      type: 'file',
      payload: {
        type: 'file',
        blobKey: `files/${newId()}`,
        fileName: 'a.txt',
        declaredContentType: 'text/plain',
        size: 1,
      },
    });

    it('deletes completed jobs that completed before the cutoff, at most the limit at a time', async () => {
      const old = [await finishedJob('completed', 8 * DAY), await finishedJob('completed', 9 * DAY)];
      const recent = await finishedJob('completed', DAY);
      const oldFailed = await finishedJob('failed', 40 * DAY);
      const waiting = jobRecord(user.id, roomId, { runAt: iso(-40 * DAY) });
      await db.jobs.insert(waiting);

      expect(await db.jobs.deleteCompletedBefore(iso(-7 * DAY), 1)).toBe(1);
      expect(await db.jobs.deleteCompletedBefore(iso(-7 * DAY), 10)).toBe(1);
      expect(await db.jobs.deleteCompletedBefore(iso(-7 * DAY), 10)).toBe(0);
      for (const job of old) expect(await db.jobs.find(job.id)).toBeUndefined();
      for (const job of [recent, oldFailed, waiting]) expect(await db.jobs.find(job.id)).toBeDefined();
    });

    it('deletes failed jobs that failed before the cutoff; their uploads are then named by nothing', async () => {
      const old = await finishedJob('failed', 31 * DAY, fileJob());
      const recent = await finishedJob('failed', 29 * DAY, fileJob());
      const oldCompleted = await finishedJob('completed', 40 * DAY);
      const blobOf = (job: JobRecord) => (job.payload.type === 'file' ? job.payload.blobKey : '');
      expect(await db.files.isBlobInUse(blobOf(old))).toBe(true);

      expect(await db.jobs.deleteFailedBefore(iso(-30 * DAY), 10)).toBe(1);
      expect(await db.jobs.find(old.id)).toBeUndefined();
      expect(await db.jobs.listFailed(10)).toEqual([await db.jobs.find(recent.id)]);
      expect(await db.jobs.find(oldCompleted.id)).toBeDefined();
      // The orphan-blob sweep removes a blob that nothing names: the deleted job's upload is one.
      expect(await db.files.isBlobInUse(blobOf(old))).toBe(false);
      expect(await db.files.isBlobInUse(blobOf(recent))).toBe(true);
    });

    it('housekeeping applies the retention periods, and 0 keeps jobs forever', async () => {
      const oldCompleted = await finishedJob('completed', 8 * DAY);
      const recentCompleted = await finishedJob('completed', 6 * DAY);
      const oldFailed = await finishedJob('failed', 31 * DAY);
      const recentFailed = await finishedJob('failed', 29 * DAY);
      const all = [oldCompleted, recentCompleted, oldFailed, recentFailed];
      const kept = async () => {
        const found = await Promise.all(all.map((job) => db.jobs.find(job.id)));
        return all.filter((_, index) => found[index] !== undefined);
      };

      const forever = await housekeeping(db, { jobRetentionDays: 0, dlqRetentionDays: 0 });
      expect(forever).toEqual({ completedJobsDeleted: 0, failedJobsDeleted: 0 });
      expect(await kept()).toEqual(all);

      const outcome = await housekeeping(db, { jobRetentionDays: 7, dlqRetentionDays: 30 });
      expect(outcome).toEqual({ completedJobsDeleted: 1, failedJobsDeleted: 1 });
      expect(await kept()).toEqual([recentCompleted, recentFailed]);
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

    it("lists a user's live sessions, records uses only when stale and live, and revokes one or all others", async () => {
      const base = Date.now();
      const at = (offsetMs = 0) => new Date(base + offsetMs).toISOString();
      const session = (id: string, seenAt: string | null, expiresIn = 3_600_000) => ({
        id,
        userId: user.id,
        tokenHash: `t-${id}`,
        createdAt: at(-7_200_000),
        expiresAt: at(expiresIn),
        revokedAt: null,
        lastSeenAt: seenAt,
        userAgent: seenAt === null ? null : `agent ${id}`,
      });
      const other = userRecord();
      await db.users.insert(other);
      await db.sessions.insert(session('a', at(-60_000)));
      await db.sessions.insert(session('b', at(-5_400_000)));
      await db.sessions.insert(session('old', null)); // from before migration 009
      await db.sessions.insert(session('idle', at(-7_000_000)));
      await db.sessions.insert(session('expired', at(-60_000), -1));
      await db.sessions.insert({ ...session('theirs', at()), userId: other.id });
      const cutoff = at(-6_000_000);

      const listed = await db.sessions.listLiveOf(user.id, at(), cutoff);
      expect(listed.map((s) => s.id)).toEqual(['a', 'b', 'old']);
      expect(listed[0]).toMatchObject({ lastSeenAt: at(-60_000), userAgent: 'agent a' });
      expect(listed[2]).toMatchObject({ lastSeenAt: null, userAgent: null });
      expect(
        [...(await db.sessions.liveAmong(['a', 'idle', 'old', 'expired'], at(), cutoff))].sort(),
      ).toEqual(['a', 'old']);
      expect(await db.sessions.findLive({ id: 'idle' }, at(), cutoff)).toBeUndefined();
      expect(await db.sessions.findLive({ id: 'idle' }, at())).toBeDefined();

      // Only sessions seen before staleBefore (or never) and still live get the new time.
      await db.sessions.touch(['a', 'b', 'old', 'idle', 'expired'], at(), at(-3_600_000), cutoff);
      const seen = async (id: string) =>
        (await db.sessions.findLive({ id }, at(-120_000)))?.session.lastSeenAt;
      expect(await seen('a')).toBe(at(-60_000));
      expect(await seen('b')).toBe(at());
      expect(await seen('old')).toBe(at());
      expect(await seen('idle')).toBe(at(-7_000_000));

      expect(await db.sessions.revokeOf(user.id, 'theirs', at())).toBe(false);
      expect(await db.sessions.revokeOf(user.id, 'nobody', at())).toBe(false);
      expect(await db.sessions.revokeOf(user.id, 'b', at())).toBe(true);
      expect(await db.sessions.revokeOf(user.id, 'b', at())).toBe(false);
      expect((await db.sessions.revokeAllOf(user.id, at(), 'a')).sort()).toEqual(['expired', 'idle', 'old']);
      expect((await db.sessions.listLiveOf(user.id, at())).map((s) => s.id)).toEqual(['a']);
      expect(await db.sessions.findLive({ id: 'theirs' }, at())).toBeDefined();
    });

    it('redacts a deleted message from the events that carried it', async () => {
      const created = await db.transaction((tx) =>
        appendTestEvent(tx, roomId, refOf(user), (seq, at) => ({
          type: 'message.created',
          data: {
            message: {
              id: 'msg-1',
              roomId,
              seq,
              author: refOf(user),
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

    it('moves delivery cursors of many members only forward, per member, room and seq', async () => {
      // 300 members: chunks of 256, 32, 8 and 4 in one multi-row statement each.
      const members = await seedMembers(db, roomId, 300);
      const otherRoomId = await seedRoom(db, user);
      const delivered = async (room: string, seq: number) =>
        (await db.memberships.receiptsAt(room, seq, 'nobody')).delivered;
      await db.memberships.advanceDelivered([
        ...members.slice(0, 10).map((member) => ({ roomId, userId: member.id, seq: 7 })),
        ...members.slice(10).map((member) => ({ roomId, userId: member.id, seq: 5 })),
        { roomId: otherRoomId, userId: user.id, seq: 3 },
      ]);
      expect(await delivered(roomId, 5)).toBe(300);
      expect(await delivered(roomId, 6)).toBe(10);
      expect(await delivered(roomId, 7)).toBe(10);
      expect(await delivered(roomId, 8)).toBe(0);
      expect(await delivered(otherRoomId, 3)).toBe(1);
      expect(await delivered(otherRoomId, 4)).toBe(0);
      // Never back: an older cursor (a slow flush racing a newer one) changes nothing.
      await db.memberships.advanceDelivered(members.map((member) => ({ roomId, userId: member.id, seq: 2 })));
      expect(await delivered(roomId, 5)).toBe(300);
      expect(await delivered(roomId, 7)).toBe(10);
    });

    it('leases a duty to one holder at a time, renewable by it, free once it ran out or was released', async () => {
      expect(await db.duties.tryAcquire('sweep', 'a', iso(), iso(60_000))).toBe(true);
      expect(await db.duties.tryAcquire('sweep', 'b', iso(), iso(60_000))).toBe(false);
      expect(await db.duties.tryAcquire('other duty', 'b', iso(), iso(60_000))).toBe(true);
      expect(await db.duties.tryAcquire('sweep', 'a', iso(), iso(120_000))).toBe(true);
      expect(await db.duties.tryAcquire('sweep', 'b', iso(60_000), iso(180_000))).toBe(false);
      expect(await db.duties.tryAcquire('sweep', 'b', iso(120_000), iso(180_000))).toBe(true);
      await db.duties.release('sweep', 'a');
      expect(await db.duties.tryAcquire('sweep', 'a', iso(), iso(60_000))).toBe(false);
      await db.duties.release('sweep', 'b');
      expect(await db.duties.tryAcquire('sweep', 'a', iso(), iso(60_000))).toBe(true);
    });
    const auditEvent = (at: string, changes: Partial<AuditRecord> = {}): AuditRecord => ({
      id: newId(),
      at,
      type: 'auth.login',
      actorId: user.id,
      targetId: null,
      ip: '203.0.113.7',
      details: {},
      ...changes,
    });

    it('keeps audit events as written and lists them newest first, paged by event or by time', async () => {
      const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString();
      const first = auditEvent(at(0), {
        type: 'room.role_changed',
        targetId: 'someone',
        details: { roomId, roomName: 'Ünïcode ✓', role: 'admin', count: 2, instanceAdmin: false },
      });
      const sameTime = [auditEvent(at(1)), auditEvent(at(1)), auditEvent(at(1))];
      const last = auditEvent(at(2), { type: 'auth.login_failed', actorId: null, ip: null });
      for (const event of [first, ...sameTime, last]) await db.audit.append(event);
      const all = await db.audit.list({ limit: 10 });
      const sameTimeNewestFirst = [...sameTime].sort((a, b) => (a.id < b.id ? 1 : -1));
      expect(all).toEqual([last, ...sameTimeNewestFirst, first]);
      // Paging by event id, across events of the same time, loses and repeats none.
      const pages: AuditRecord[][] = [];
      let before: { id: string } | undefined;
      for (;;) {
        const page = await db.audit.list({ ...(before ? { before } : {}), limit: 2 });
        if (page.length === 0) break;
        pages.push(page);
        before = { id: page[page.length - 1]?.id ?? '' };
      }
      expect(pages.flat()).toEqual(all);
      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(await db.audit.list({ before: { at: at(1) }, limit: 10 })).toEqual([first]);
      expect(await db.audit.list({ before: { id: newId() }, limit: 10 })).toEqual([]);
    });

    it('keeps one VAPID key pair: of concurrent first starts, every one gets the first stored', async () => {
      const candidates = Array.from({ length: 6 }, (_, i) => ({
        publicKey: `public-${i}`,
        privateKey: `private-${i}`,
      }));
      const kept = await Promise.all(candidates.map((candidate) => db.push.vapidKeys(candidate, iso(0))));
      const first = kept[0];
      expect(candidates).toContainEqual(first);
      for (const keys of kept) expect(keys).toEqual(first);
      expect(await db.push.vapidKeys({ publicKey: 'later', privateKey: 'later' }, iso(1))).toEqual(first);
    });

    it('a failed transaction leaves no audit event', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.audit.append(auditEvent(iso()));
          throw new Error('the change it recorded failed');
        }),
      ).rejects.toThrow('failed');
      expect(await db.audit.list({ limit: 10 })).toEqual([]);
    });
  });
}
