/**
 * A job that kills the whole process every time it runs (`#fail:crash`, test faults only) must
 * not take the server down forever, nor the messages that were in its batch: each crash counts
 * as an attempt, the restart runs the interrupted jobs one by one, and past JOB_MAX_ATTEMPTS the
 * poison job ends in the dead letter queue while the others are delivered exactly once.
 */
import type { Job, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  generalRoom,
  register,
  submitMessage,
  uniqueName,
  waitForJob,
  wholeLog,
} from '../support/client.js';
import { startServer, type TestServer } from '../support/server.js';

const MAX_ATTEMPTS = 2;

let server: TestServer;
let admin: Account;
let general: Room;

beforeAll(async () => {
  server = await startServer({
    env: { JOB_MAX_ATTEMPTS: String(MAX_ATTEMPTS), RATE_LIMIT_SENDS_PER_MINUTE: '0' },
  });
  admin = await register(server, uniqueName('admin'));
  general = await generalRoom(admin);
});
afterAll(() => server?.dispose());

describe('a job that crashes the process', () => {
  it('ends in the dead letter queue after its attempts, and its batch-mates are delivered once', {
    timeout: 90_000,
  }, async () => {
    const run = uniqueName('poison');
    const texts = [1, 2, 3].map((n) => `innocent ${run} ${n}`);
    // Submitted together, so they are likely to share the poison job's batch.
    const submitted = await Promise.all([
      ...texts.map((text) => submitMessage(admin, general.id, text)),
      submitMessage(admin, general.id, `#fail:crash ${run}`),
    ]);
    const poison = submitted.at(-1) as Job;

    let crashes = 0;
    for (; crashes <= MAX_ATTEMPTS + 1; crashes++) {
      const exit = await Promise.race([
        server.exited,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000)),
      ]);
      if (exit === null) break; // it stayed up: the poison job is out of the way
      expect(exit.signal).toBe('SIGKILL');
      // The worker takes the job up again right at start, so the process may die before it is
      // healthy: that is the next crash, seen by the next turn of this loop.
      await server.restart().catch(() => {});
    }
    expect(crashes, 'the process crashed once per attempt, then stayed up').toBeGreaterThanOrEqual(1);
    expect(crashes).toBeLessThanOrEqual(MAX_ATTEMPTS + 1);

    const failed = await waitForJob(admin, poison.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'too_many_attempts' } });
    const dlq = await admin.api.get<{ jobs: Job[] }>('/admin/dlq');
    expect(dlq.body.jobs.map((job) => job.id)).toContain(poison.id);

    for (const job of submitted.slice(0, -1))
      expect((await waitForJob(admin, job.id)).status).toBe('completed');
    const log = await wholeLog(admin, general.id);
    const created = log.flatMap((event) =>
      event.type === 'message.created' ? [event.data.message.text] : [],
    );
    for (const text of texts) expect(created.filter((candidate) => candidate === text)).toHaveLength(1);
    expect(created.some((text) => text.startsWith('#fail:crash'))).toBe(false);
  });
});
