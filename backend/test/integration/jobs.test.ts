import type { Job, Message, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  type ApiResponse,
  createRoom,
  errorOf,
  fieldPaths,
  generalRoom,
  getRoom,
  messagesPage,
  register,
  request,
  submitMessage,
  uniqueName,
  waitForCompletion,
  waitForJob,
} from '../support/client.js';
import { makePng } from '../support/files.js';
import { sleep, startServer, type TestServer } from '../support/server.js';

const MAX_UPLOAD_BYTES = 100_000;
const JOB_MAX_ATTEMPTS = 3;

let server: TestServer;
let admin: Account;
let alice: Account;
let bob: Account;
let general: Room;

beforeAll(async () => {
  server = await startServer({
    env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), JOB_MAX_ATTEMPTS: String(JOB_MAX_ATTEMPTS) },
  });
  admin = await register(server, uniqueName('admin')); // the instance admin, who may see every job
  alice = await register(server, uniqueName('alice'));
  bob = await register(server, uniqueName('bob'));
  general = await generalRoom(alice);
});
afterAll(() => server?.dispose());

const postJob = (account: Account, body: unknown, headers?: Record<string, string>) =>
  account.api.post<{ job: Job }>('/jobs', body, headers);

function expectValidationError(response: ApiResponse, path: string) {
  expect(response.status, response.text).toBe(400);
  expect(errorOf(response).code).toBe('validation_failed');
  expect(fieldPaths(response)).toContain(path);
}

/** The message a completed job created, read back from the room's history. */
async function messageOf(account: Account, job: Job): Promise<Message> {
  const done = await waitForCompletion(account, job.id);
  const page = await messagesPage(account, job.roomId, `?after=${done.result.seq - 1}&limit=1`);
  const message = page.messages[0];
  expect(message?.id).toBe(done.result.messageId);
  return message as Message;
}

async function download(account: Account, url: string) {
  const response = await fetch(new URL(url, server.httpUrl), {
    headers: { authorization: `Bearer ${account.token}` },
    signal: AbortSignal.timeout(10_000),
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('sending a message', () => {
  it('answers 202 with the queued job and its Location, and the job completes with the message', async () => {
    const before = Date.now();
    const response = await postJob(alice, { type: 'message', roomId: general.id, text: 'hello from a job' });
    expect(response.status).toBe(202);
    const { job } = response.body;
    expect(job).toMatchObject({
      id: expect.any(String),
      type: 'message',
      status: expect.stringMatching(/^(queued|processing|completed)$/),
      roomId: general.id,
      attempts: expect.any(Number),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(Date.parse(job.createdAt)).toBeGreaterThanOrEqual(before - 5_000);
    expect(response.headers.get('location')).toBe(`/jobs/${job.id}`);

    const done = await waitForCompletion(alice, job.id);
    expect(done).toMatchObject({ id: job.id, status: 'completed', attempts: 1 });
    expect(done.result).toEqual({ messageId: expect.any(String), seq: expect.any(Number) });
    const message = await messageOf(alice, job);
    expect(message).toMatchObject({
      text: 'hello from a job',
      author: { id: alice.user.id },
      roomId: general.id,
    });
  });

  it('trims the text', async () => {
    const job = await submitMessage(alice, general.id, '   padded   ');
    expect((await messageOf(alice, job)).text).toBe('padded');
  });

  it('counts code points: 4000 emoji are accepted', async () => {
    const text = '😀'.repeat(4000);
    const job = await submitMessage(alice, general.id, text);
    expect((await messageOf(alice, job)).text).toBe(text);
  });

  it.each([
    ['empty text', ''],
    ['whitespace-only text', ' \n\t '],
    ['4001 characters', 'a'.repeat(4001)],
    ['4001 emoji', '😀'.repeat(4001)],
  ])('refuses %s with 400 naming text', async (_what, text) => {
    expectValidationError(await postJob(alice, { type: 'message', roomId: general.id, text }), 'text');
  });

  it('refuses a body without a room with 400 naming roomId', async () => {
    expectValidationError(await postJob(alice, { type: 'message', text: 'where to?' }), 'roomId');
  });

  it('refuses an unknown job type with 400', async () => {
    const response = await postJob(alice, { type: 'telegram', roomId: general.id, text: 'stop' });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('validation_failed');
  });

  it('refuses malformed JSON with 400 invalid_json and a non-JSON body with 415', async () => {
    const malformed = await alice.api.request('/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":"message",',
    });
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed).code).toBe('invalid_json');
    const plain = await alice.api.request('/jobs', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(plain.status).toBe(415);
    expect(errorOf(plain).code).toBe('unsupported_media_type');
  });

  it('answers bodies of the wrong shape with 400, never a 5xx', async () => {
    const bodies = [
      'null',
      '[]',
      '"text"',
      '42',
      '{"type":null}',
      '{"type":"message","roomId":7,"text":["x"]}',
    ];
    bodies.push(`{"type":"message","roomId":"r","text":${'['.repeat(500)}${']'.repeat(500)}}`);
    for (const body of bodies) {
      for (const path of ['/jobs', '/auth/login', '/auth/register']) {
        const response = await alice.api.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(response.status, `${path} ${body.slice(0, 40)}: ${response.text}`).toBe(400);
        expect(['invalid_json', 'validation_failed']).toContain(errorOf(response).code);
      }
    }
    expect((await request(server, '/healthz')).status).toBe(200);
  });

  it('answers 404 for a room that does not exist and 401 without credentials', async () => {
    const unknown = await postJob(alice, { type: 'message', roomId: 'no-such-room', text: 'hello?' });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe('not_found');
    const anonymous = await request(server, '/jobs', {
      json: { type: 'message', roomId: general.id, text: 'who am I' },
    });
    expect(anonymous.status).toBe(401);
    expect(errorOf(anonymous).code).toBe('unauthenticated');
  });

  it('accepts a reply to a message of the room and refuses one to an unknown message (400 replyTo)', async () => {
    const original = await messageOf(alice, await submitMessage(alice, general.id, 'question?'));
    const reply = await submitMessage(bob, general.id, 'answer!', { replyTo: original.id });
    expect((await messageOf(bob, reply)).replyTo).toBe(original.id);

    expectValidationError(
      await postJob(bob, {
        type: 'message',
        roomId: general.id,
        text: 'to nothing',
        replyTo: 'no-such-message',
      }),
      'replyTo',
    );
  });

  it("hides a job from other users: another member's GET /jobs/:id is 404", async () => {
    const job = await submitMessage(alice, general.id, 'my own job');
    const response = await bob.api.get(`/jobs/${job.id}`);
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe('not_found');
    expect((await alice.api.get(`/jobs/${job.id}`)).status).toBe(200);
    expect((await bob.api.get('/jobs/no-such-job')).status).toBe(404);
    const seenByAdmin = await admin.api.get<{ job: Job }>(`/jobs/${job.id}`);
    expect(seenByAdmin.status).toBe(200);
    expect(seenByAdmin.body.job.id).toBe(job.id);
  });

  it('refuses a public room one has not joined with 403 and a private room one is not in with 404', async () => {
    const openRoom = await createRoom(alice, { name: `Open ${uniqueName('o')}`, visibility: 'public' });
    const notJoined = await postJob(bob, { type: 'message', roomId: openRoom.id, text: 'let me in' });
    expect(notJoined.status).toBe(403);
    expect(errorOf(notJoined).code).toBe('forbidden');

    const secret = await createRoom(alice, { name: `Secret ${uniqueName('s')}`, visibility: 'private' });
    const notMember = await postJob(bob, { type: 'message', roomId: secret.id, text: 'let me in' });
    expect(notMember.status).toBe(404);
    expect(errorOf(notMember).code).toBe('not_found');
  });
});

describe('sending a file', () => {
  const png = makePng(40, 30);

  it('stores a base64 PNG and attaches it with its size and dimensions', async () => {
    const response = await postJob(alice, {
      type: 'file',
      roomId: general.id,
      fileName: 'gradient.png',
      contentType: 'image/png',
      data: png.toString('base64'),
      caption: 'a gradient',
    });
    expect(response.status).toBe(202);
    expect(response.body.job.type).toBe('file');
    const message = await messageOf(alice, response.body.job);
    expect(message.text).toBe('a gradient');
    expect(message.attachment).toMatchObject({
      id: expect.any(String),
      fileName: 'gradient.png',
      contentType: 'image/png',
      size: png.length,
      url: expect.any(String),
      width: 40,
      height: 30,
    });

    const attachment = message.attachment!;
    const file = await download(bob, attachment.url);
    expect(file.response.status).toBe(200);
    expect(file.response.headers.get('content-type')).toMatch(/^image\/png/);
    expect(file.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.bytes.equals(png)).toBe(true);

    if (attachment.thumbnailUrl !== undefined) {
      const thumbnail = await download(bob, attachment.thumbnailUrl);
      expect(thumbnail.response.status).toBe(200);
      expect(thumbnail.response.headers.get('content-type')).toMatch(/^image\//);
    }
    const anonymous = await request(server, attachment.url);
    expect(anonymous.status).toBe(401);
  });

  it('serves an uploaded HTML file as an attachment, never inline', async () => {
    const html = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';
    const job = (
      await postJob(alice, {
        type: 'file',
        roomId: general.id,
        fileName: 'page.html',
        contentType: 'text/html',
        data: Buffer.from(html).toString('base64'),
      })
    ).body.job;
    const message = await messageOf(alice, job);
    const file = await download(bob, message.attachment!.url);
    expect(file.response.status).toBe(200);
    expect(file.response.headers.get('content-disposition')).toMatch(/^attachment/i);
    expect(file.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.bytes.toString()).toBe(html);

    const thumbnail = await bob.api.get(`/files/${message.attachment!.id}/thumbnail`);
    expect(thumbnail.status).toBe(404);
    expect(errorOf(thumbnail).code).toBe('not_found');
  });

  it('accepts a multipart upload', async () => {
    const bytes = Buffer.from('plain text notes\n'.repeat(100));
    const form = new FormData();
    form.set('type', 'file');
    form.set('roomId', general.id);
    form.set('caption', 'my notes');
    form.set('file', new Blob([bytes], { type: 'text/plain' }), 'notes.txt');
    const response = await alice.api.request<{ job: Job }>('/jobs', { method: 'POST', body: form });
    expect(response.status, response.text).toBe(202);
    expect(response.headers.get('location')).toBe(`/jobs/${response.body.job.id}`);
    const message = await messageOf(alice, response.body.job);
    expect(message.text).toBe('my notes');
    expect(message.attachment).toMatchObject({ fileName: 'notes.txt', size: bytes.length });
    const file = await download(alice, message.attachment!.url);
    expect(file.bytes.equals(bytes)).toBe(true);
  });

  it('refuses a multipart upload over MAX_UPLOAD_BYTES with 413 and creates nothing', async () => {
    const before = (await getRoom(alice, general.id)).lastSeq;
    const form = new FormData();
    form.set('type', 'file');
    form.set('roomId', general.id);
    form.set('file', new Blob([Buffer.alloc(MAX_UPLOAD_BYTES + 1, 7)]), 'big.bin');
    const response = await alice.api.request('/jobs', { method: 'POST', body: form });
    expect(response.status).toBe(413);
    expect(errorOf(response).code).toBe('payload_too_large');
    await sleep(300);
    expect((await getRoom(alice, general.id)).lastSeq).toBe(before);
  });

  it('accepts a multipart upload of exactly MAX_UPLOAD_BYTES (the limit is inclusive)', async () => {
    const form = new FormData();
    form.set('type', 'file');
    form.set('roomId', general.id);
    form.set('file', new Blob([Buffer.alloc(MAX_UPLOAD_BYTES, 7)]), 'limit.bin');
    const response = await alice.api.request<{ job: Job }>('/jobs', { method: 'POST', body: form });
    expect(response.status, response.text).toBe(202);
    expect((await messageOf(alice, response.body.job)).attachment?.size).toBe(MAX_UPLOAD_BYTES);
  });

  it('refuses base64 data over MAX_UPLOAD_BYTES with 413 and accepts exactly the limit', async () => {
    const tooBig = await postJob(alice, {
      type: 'file',
      roomId: general.id,
      fileName: 'big.bin',
      contentType: 'application/octet-stream',
      data: Buffer.alloc(MAX_UPLOAD_BYTES + 1, 1).toString('base64'),
    });
    expect(tooBig.status).toBe(413);
    expect(errorOf(tooBig).code).toBe('payload_too_large');

    const justRight = await postJob(alice, {
      type: 'file',
      roomId: general.id,
      fileName: 'limit.bin',
      contentType: 'application/octet-stream',
      data: Buffer.alloc(MAX_UPLOAD_BYTES, 1).toString('base64'),
    });
    expect(justRight.status, justRight.text).toBe(202);
    expect((await messageOf(alice, justRight.body.job)).attachment?.size).toBe(MAX_UPLOAD_BYTES);
  });

  it('refuses data that is not base64 with 400 naming data', async () => {
    for (const data of ['this is not base64!!', '', '@@@@']) {
      expectValidationError(
        await postJob(alice, {
          type: 'file',
          roomId: general.id,
          fileName: 'x.bin',
          contentType: 'application/octet-stream',
          data,
        }),
        'data',
      );
    }
  });

  it.each([
    ['a path', '../etc/passwd'],
    ['a slash', 'dir/file.txt'],
    ['a backslash', 'dir\\file.txt'],
    ['a control character', 'bad\u0007name.txt'],
    ['only dots', '..'],
    ['an empty name', ''],
    ['256 characters', `${'n'.repeat(252)}.txt`],
  ])('refuses a file name with %s with 400 naming fileName', async (_what, fileName) => {
    expectValidationError(
      await postJob(alice, {
        type: 'file',
        roomId: general.id,
        fileName,
        contentType: 'text/plain',
        data: Buffer.from('hi').toString('base64'),
      }),
      'fileName',
    );
  });

  it("hides a private room's files from non-members: 404", async () => {
    const secret = await createRoom(alice, { name: `Files ${uniqueName('f')}`, visibility: 'private' });
    const job = await postJob(alice, {
      type: 'file',
      roomId: secret.id,
      fileName: 'secret.png',
      contentType: 'image/png',
      data: png.toString('base64'),
    });
    expect(job.status).toBe(202);
    const attachment = (await messageOf(alice, job.body.job)).attachment!;
    expect((await download(alice, attachment.url)).response.status).toBe(200);
    const stranger = await download(bob, attachment.url);
    expect(stranger.response.status).toBe(404);
    expect(stranger.bytes.includes(png)).toBe(false);
    expect((await bob.api.get(`/files/${attachment.id}/thumbnail`)).status).toBe(404);
  });

  it('answers 404 for a file that does not exist', async () => {
    const response = await alice.api.get('/files/no-such-file');
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe('not_found');
  });
});

describe('idempotency keys', () => {
  it('replays the same job for the same key and payload, with one message only', async () => {
    const key = `key-${uniqueName('k')}`;
    const body = { type: 'message', roomId: general.id, text: `exactly once ${key}` };
    const first = await postJob(alice, body, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const done = await waitForCompletion(alice, first.body.job.id);

    const second = await postJob(alice, body, { 'idempotency-key': key });
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(`/jobs/${first.body.job.id}`);
    expect(second.body.job).toMatchObject({
      id: first.body.job.id,
      status: 'completed',
      result: done.result,
    });

    await sleep(300);
    const page = await messagesPage(alice, general.id, '?limit=200');
    expect(page.messages.filter((m) => m.text === body.text)).toHaveLength(1);
  });

  it('never creates two jobs for concurrent requests with the same key', async () => {
    const key = `race-${uniqueName('k')}`;
    const body = { type: 'message', roomId: general.id, text: `raced ${key}` };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => postJob(alice, body, { 'idempotency-key': key })),
    );
    const jobIds = new Set<string>();
    for (const answer of answers) {
      expect([202, 409]).toContain(answer.status);
      if (answer.status === 202) jobIds.add(answer.body.job.id);
      else expect(errorOf(answer).code).toBe('idempotency_in_progress');
    }
    expect(jobIds.size).toBe(1);
    await waitForCompletion(alice, [...jobIds][0]!);
    await sleep(300);
    const page = await messagesPage(alice, general.id, '?limit=200');
    expect(page.messages.filter((m) => m.text === body.text)).toHaveLength(1);
  });

  it('refuses the same key with a different payload with 422 idempotency_key_reused', async () => {
    const key = `reuse-${uniqueName('k')}`;
    const first = await postJob(
      alice,
      { type: 'message', roomId: general.id, text: 'first' },
      { 'idempotency-key': key },
    );
    expect(first.status).toBe(202);
    const second = await postJob(
      alice,
      { type: 'message', roomId: general.id, text: 'second' },
      { 'idempotency-key': key },
    );
    expect(second.status).toBe(422);
    expect(errorOf(second).code).toBe('idempotency_key_reused');
  });

  it('scopes keys per user', async () => {
    const key = `shared-${uniqueName('k')}`;
    const body = { type: 'message', roomId: general.id, text: 'same words' };
    const mine = await postJob(alice, body, { 'idempotency-key': key });
    const theirs = await postJob(bob, body, { 'idempotency-key': key });
    expect(mine.status).toBe(202);
    expect(theirs.status).toBe(202);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.job.id).not.toBe(mine.body.job.id);
  });

  it('refuses a key longer than 255 characters with 400', async () => {
    const response = await postJob(
      alice,
      { type: 'message', roomId: general.id, text: 'bad key' },
      { 'idempotency-key': 'x'.repeat(256) },
    );
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('validation_failed');
  });
});

describe('failures and retries (PARLEY_TEST_FAULTS=1)', () => {
  it('fails a permanently failing job with an error, and it is not in the room', async () => {
    // A room of its own: jobs of earlier tests may still be completing in #general.
    const quiet = await createRoom(alice, { name: `Quiet ${uniqueName('q')}`, visibility: 'public' });
    const before = (await getRoom(alice, quiet.id)).lastSeq;
    const job = await submitMessage(alice, quiet.id, '#fail:permanent x');
    const done = await waitForJob(alice, job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(done.result).toBeUndefined();
    expect((await getRoom(alice, quiet.id)).lastSeq).toBe(before);
  });

  it('fails a job that keeps failing after JOB_MAX_ATTEMPTS into the dead letter queue, where an admin retries it', async () => {
    const job = await submitMessage(alice, general.id, '#fail:transient dead letter');
    const failed = await waitForJob(alice, job.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: JOB_MAX_ATTEMPTS });
    expect(failed.error).toEqual({ code: expect.any(String), message: expect.any(String) });

    const listed = await admin.api.get<{ jobs: Job[] }>('/admin/dlq');
    expect(listed.status).toBe(200);
    expect(listed.body.jobs[0]).toMatchObject({ id: job.id, status: 'failed' });

    const forbidden = await alice.api.get('/admin/dlq');
    expect(forbidden.status).toBe(403);
    expect(errorOf(forbidden).code).toBe('forbidden');
    expect((await alice.api.post(`/admin/dlq/${job.id}/retry`)).status).toBe(403);

    const retried = await admin.api.post<{ job: Job }>(`/admin/dlq/${job.id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body.job).toMatchObject({ id: job.id, status: 'queued', attempts: 0 });
    // Its next failure is at least one backoff away: right now it is out of the queue.
    const after = await admin.api.get<{ jobs: Job[] }>('/admin/dlq');
    expect(after.body.jobs.map((candidate) => candidate.id)).not.toContain(job.id);
    expect(await waitForJob(alice, job.id)).toMatchObject({ status: 'failed', attempts: JOB_MAX_ATTEMPTS });
  });

  it('refuses to retry a job that has not failed with 409 conflict', async () => {
    const job = await submitMessage(alice, general.id, 'fine as it is');
    await waitForCompletion(alice, job.id);
    const response = await admin.api.post(`/admin/dlq/${job.id}/retry`);
    expect(response.status).toBe(409);
    expect(errorOf(response).code).toBe('conflict');
  });

  it('retries a transient failure: completed after 2 attempts', async () => {
    const job = await submitMessage(alice, general.id, '#fail:transient-once x');
    const done = await waitForJob(alice, job.id, 20_000);
    expect(done).toMatchObject({ status: 'completed', attempts: 2 });
    expect((await messageOf(alice, job)).text).toBe('#fail:transient-once x');
  });
});
