/**
 * A batch of message jobs on a real SQLite database: plain messages go through the multi-row
 * path, replies one by one, and the room's log must follow the order in which the jobs were
 * claimed (due time), gapless, each job completed with its own message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobProcessor } from '../../../../src/core/jobs/job-processor.js';
import type { Database } from '../../../../src/core/ports/database.js';
import type { JobRecord, UserRecord } from '../../../../src/core/ports/records.js';
import { UnitOfWork } from '../../../../src/core/unit-of-work.js';
import { InProcessFanOut } from '../../../../src/fanout/in-process-fan-out.js';
import { openSqlite } from '../../../../src/storage/sqlite/open-sqlite.js';
import { iso, jobRecord, seedRoom, userRecord } from '../../../storage/fixtures.js';

describe('a batch of message jobs', () => {
  let db: Database;
  let processor: JobProcessor;
  let user: UserRecord;
  let roomId: string;

  beforeEach(async () => {
    db = await openSqlite(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-batch-')));
    const work = new UnitOfWork(db, new InProcessFanOut());
    // Message jobs need neither blobs nor media.
    processor = new JobProcessor(db, work, {} as never, {} as never, { testFaults: false });
    user = userRecord();
    await db.users.insert(user);
    roomId = await seedRoom(db, user);
  });

  afterEach(async () => {
    await db.close();
  });

  const job = (text: string, dueInMs: number, replyTo?: string): JobRecord => {
    const record = jobRecord(user.id, roomId, { runAt: iso(dueInMs) });
    record.payload = replyTo ? { type: 'message', text, replyTo } : { type: 'message', text };
    return record;
  };

  it('writes plain messages and replies of one batch in the order they were due, each once', async () => {
    const root = job('root', -10_000);
    await db.jobs.insert(root);
    const [first] = await processor.processDueMessages(256, 30_000);
    const rootId = first?.job.resultMessageId;
    if (!rootId) throw new Error('the root was not written');

    // 40 jobs, due in this order: runs of plain messages broken by replies.
    const jobs = Array.from({ length: 40 }, (_, index) =>
      job(`m${index}`, -5_000 + index, index % 7 === 3 ? rootId : undefined),
    );
    for (const record of [...jobs].reverse()) await db.jobs.insert(record);
    const outcomes = await processor.processDueMessages(256, 30_000);

    expect(outcomes).toHaveLength(40);
    const byId = new Map(outcomes.map((outcome) => [outcome.job.id, outcome]));
    const seqs = jobs.map((record) => byId.get(record.id)?.job.resultSeq);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, index) => 2 + index));
    const events = await db.events.listAfter(roomId, 1, 100);
    expect(events.map((event) => event.seq)).toEqual(seqs);
    for (const [index, event] of events.entries()) {
      const message = (event.data as { message: { id: string; text: string; replyTo?: string } }).message;
      expect(message.text).toBe(`m${index}`);
      expect(message.id).toBe(byId.get(jobs[index]!.id)?.job.resultMessageId);
      expect(message.replyTo).toBe(index % 7 === 3 ? rootId : undefined);
      expect(await db.jobs.find(jobs[index]!.id)).toMatchObject({
        status: 'completed',
        resultSeq: event.seq,
      });
    }
    expect((await db.messages.find(rootId))?.thread?.replyCount).toBe(6);
  });
});
