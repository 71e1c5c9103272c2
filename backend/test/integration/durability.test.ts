import type { Job, Room, RoomEvent } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  connectSocket,
  generalRoom,
  register,
  request,
  submitMessage,
  uniqueName,
  waitForCompletion,
  wholeLog,
} from '../support/client.js';
import { type ExitStatus, sleep, startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let alice: Account;
let bob: Account;
let general: Room;

beforeAll(async () => {
  server = await startServer();
  await register(server, uniqueName('admin'));
  alice = await register(server, uniqueName('alice'));
  bob = await register(server, uniqueName('bob'));
  general = await generalRoom(alice);
});
afterAll(() => server?.dispose());

function messageTexts(events: RoomEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'message.created' ? [event.data.message.text] : []));
}

function count<T>(values: T[], value: T): number {
  return values.filter((candidate) => candidate === value).length;
}

describe('operations', () => {
  it('answers /healthz and /readyz with 200 and /metrics in Prometheus text format', async () => {
    expect((await request(server, '/healthz')).status).toBe(200);
    expect((await request(server, '/readyz')).status).toBe(200);
    const metrics = await request(server, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/^# (HELP|TYPE) \w+/m);
  });
});

describe('crash safety', () => {
  it('completes every job answered 202 exactly once after a SIGKILL in the middle of a burst', async () => {
    const total = 100;
    const killAfter = 30;
    const run = uniqueName('run');
    const plan = Array.from({ length: total }, (_, i) => ({
      account: i % 2 === 0 ? alice : bob,
      text: `durable ${run} ${i + 1}`,
      key: `${run}-${i + 1}`,
    }));
    const accepted = new Map<number, Job>();
    const unanswered = new Set<number>();
    const unexpected: string[] = [];
    let killed: Promise<ExitStatus> | undefined;
    let nextIndex = 0;

    // Two users typing fast: 16 requests in flight at a time.
    const worker = async () => {
      while (nextIndex < total) {
        const i = nextIndex++;
        const item = plan[i]!;
        if (killed) {
          unanswered.add(i);
          continue;
        }
        try {
          const response = await item.account.api.post<{ job: Job }>(
            '/jobs',
            { type: 'message', roomId: general.id, text: item.text },
            { 'idempotency-key': item.key },
          );
          if (response.status === 202) {
            accepted.set(i, response.body.job);
            if (accepted.size >= killAfter && !killed) killed = server.kill('SIGKILL');
          } else {
            unexpected.push(`#${i + 1}: HTTP ${response.status} ${response.text}`);
          }
        } catch (error) {
          if (!killed) unexpected.push(`#${i + 1}: ${String(error)} before the kill`);
          unanswered.add(i);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(unexpected).toEqual([]);
    expect(killed).toBeDefined();
    expect((await killed)?.signal).toBe('SIGKILL');
    expect(accepted.size).toBeGreaterThanOrEqual(killAfter);

    await server.restart();

    // Every 202 is kept and completes.
    const results = new Map<number, { messageId: string; seq: number }>();
    for (const [i, job] of accepted) {
      const done = await waitForCompletion(plan[i]!.account, job.id);
      results.set(i, done.result);
    }
    // The requests that got no answer are sent again with the same key: at most one job each.
    for (const i of unanswered) {
      const item = plan[i]!;
      const job = await submitMessage(item.account, general.id, item.text, { idempotencyKey: item.key });
      results.set(i, (await waitForCompletion(item.account, job.id)).result);
    }
    expect(results.size).toBe(total);

    await sleep(500); // nothing more may appear, e.g. a job run twice
    const log = await wholeLog(alice, general.id);
    expect(log.map((event) => event.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
    const texts = messageTexts(log);
    const byId = new Map(
      log.flatMap((event) =>
        event.type === 'message.created' ? [[event.data.message.id, event.data.message]] : [],
      ),
    );
    for (const [i, result] of results) {
      expect(count(texts, plan[i]!.text), plan[i]!.text).toBe(1);
      expect(byId.get(result.messageId)?.text).toBe(plan[i]!.text);
      expect(byId.get(result.messageId)?.seq).toBe(result.seq);
    }
    const room = (await alice.api.get<{ room: Room }>(`/rooms/${general.id}`)).body.room;
    expect(room.lastSeq).toBe(log.length);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM closes sockets with 1001, exits 0, and keeps the accepted work', async () => {
    const jobs: Job[] = [];
    for (let i = 1; i <= 10; i++) jobs.push(await submitMessage(bob, general.id, `before shutdown ${i}`));
    const socket = await connectSocket(server, alice.token);
    const viaWsPort = await connectSocket(server, alice.token, { via: 'wsPort' });

    const exit = await server.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await socket.closed).toMatchObject({ code: 1001 });
    expect(await viaWsPort.closed).toMatchObject({ code: 1001 });

    await server.restart();
    for (const job of jobs) await waitForCompletion(bob, job.id);
    const texts = messageTexts(await wholeLog(bob, general.id));
    for (let i = 1; i <= 10; i++) expect(count(texts, `before shutdown ${i}`)).toBe(1);
  });
});
