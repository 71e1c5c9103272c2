/**
 * The promise of the job queue, under repeated crashes: three users send hundreds of messages
 * with idempotency keys while the server is SIGKILLed several times at random moments. Every
 * request answered 202 ends as exactly one message, seqs stay gapless, and resending the
 * unanswered requests with the same key doubles nothing.
 */
import type { Job, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  generalRoom,
  register,
  uniqueName,
  waitForCompletion,
  wholeLog,
} from '../support/client.js';
import { type ExitStatus, sleep, startServer, type TestServer } from '../support/server.js';

const TOTAL = 300;
const KILLS = 3;
const IN_FLIGHT = 12;

let server: TestServer;
let users: Account[];
let general: Room;

beforeAll(async () => {
  server = await startServer();
  users = [];
  for (const name of ['ana', 'ben', 'cy']) users.push(await register(server, uniqueName(name)));
  general = await generalRoom(users[0]!);
});
afterAll(() => server?.dispose());

describe('crash safety under repeated SIGKILL', () => {
  it('keeps every accepted message exactly once across several crashes', { timeout: 120_000 }, async () => {
    const run = uniqueName('crash');
    const plan = Array.from({ length: TOTAL }, (_, i) => ({
      account: users[i % users.length]!,
      text: `crash ${run} #${i + 1}`,
      key: `${run}-${i + 1}`,
    }));
    /** Every job id a 202 named for each request: idempotency means one id per request. */
    const jobIds = new Map<number, Set<string>>();
    let queue = plan.map((_, i) => i);
    const unexpected: string[] = [];

    for (let round = 0; round <= KILLS; round++) {
      const crashThisRound = round < KILLS;
      const killAfter = 15 + Math.floor(Math.random() * 40); // a random moment in the burst
      let acceptedThisRound = 0;
      let killed: Promise<ExitStatus> | undefined;
      const retry: number[] = [];
      const work = [...queue];

      const worker = async () => {
        for (let i = work.shift(); i !== undefined; i = work.shift()) {
          if (killed) {
            retry.push(i);
            continue;
          }
          const item = plan[i]!;
          try {
            const response = await item.account.api.post<{ job: Job }>(
              '/jobs',
              { type: 'message', roomId: general.id, text: item.text },
              { 'idempotency-key': item.key },
            );
            if (response.status !== 202) {
              unexpected.push(`#${i + 1}: HTTP ${response.status} ${response.text}`);
              continue;
            }
            const ids = jobIds.get(i) ?? new Set<string>();
            ids.add(response.body.job.id);
            jobIds.set(i, ids);
            acceptedThisRound++;
            if (crashThisRound && !killed && acceptedThisRound >= killAfter) {
              await sleep(Math.random() * 20);
              killed ??= server.kill('SIGKILL');
            }
          } catch {
            // No answer: the server died under this request. It is sent again, same key.
            if (!killed) unexpected.push(`#${i + 1}: no answer before any kill`);
            retry.push(i);
          }
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      if (crashThisRound) {
        expect(killed, `round ${round} crashed`).toBeDefined();
        expect((await killed)?.signal).toBe('SIGKILL');
        await server.restart();
      }
      queue = retry;
    }
    expect(unexpected).toEqual([]);
    expect(queue).toEqual([]);

    // One job per request, whatever was resent; each completes.
    expect(jobIds.size).toBe(TOTAL);
    const results = new Map<number, { messageId: string; seq: number }>();
    for (const [i, ids] of jobIds) {
      expect(ids.size, `request #${i + 1} made ${ids.size} jobs`).toBe(1);
      const done = await waitForCompletion(plan[i]!.account, [...ids][0]!, 30_000);
      results.set(i, done.result);
    }

    await sleep(500);
    const log = await wholeLog(users[0]!, general.id);
    expect(log.map((event) => event.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
    const created = log.flatMap((event) => (event.type === 'message.created' ? [event.data.message] : []));
    const ours = created.filter((message) => message.text.startsWith(`crash ${run} `));
    expect(ours).toHaveLength(TOTAL);
    expect(new Set(ours.map((message) => message.text)).size).toBe(TOTAL);
    const byId = new Map(ours.map((message) => [message.id, message]));
    for (const [i, result] of results) {
      expect(byId.get(result.messageId)?.text).toBe(plan[i]!.text);
      expect(byId.get(result.messageId)?.seq).toBe(result.seq);
    }
  });
});
