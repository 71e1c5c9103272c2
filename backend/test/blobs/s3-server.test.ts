/**
 * Files end to end on S3: real server processes with S3_* set, a real S3-compatible server
 * (s3rver), and, for two instances, a real PostgreSQL they share. Uploads go in through
 * `POST /jobs`, downloads come out of S3 through the presigned link `GET /files/:id` redirects to.
 */
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Job, Message } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  api,
  createRoom,
  expectStatus,
  generalRoom,
  messagesPage,
  register,
  request,
  uniqueName,
  waitForCompletion,
} from '../support/client.js';
import { makePng } from '../support/files.js';
import { startPostgresForTests, type TestPostgres } from '../support/postgres.js';
import { startS3, type TestS3 } from '../support/s3.js';
import { type S3Relay, startS3Relay } from '../support/s3-proxy.js';
import { sleep, startServer, type TestServer } from '../support/server.js';

/** Over one 5 MiB part, so an upload this big is a multipart upload to S3. */
const MAX_UPLOAD_BYTES = 12 * 1024 * 1024;

let s3: TestS3;
let bucket: S3Client;

beforeAll(async () => {
  s3 = await startS3();
  bucket = s3.client();
});
afterAll(async () => {
  bucket?.destroy();
  await s3?.stop();
});

/** Submits a file job with the bytes as base64 JSON and returns the message it made. */
async function sendFile(
  account: Account,
  roomId: string,
  file: { fileName: string; contentType: string; bytes: Buffer },
): Promise<{ job: Job; message: Message }> {
  const response = await account.api.post<{ job: Job }>('/jobs', {
    type: 'file',
    roomId,
    fileName: file.fileName,
    contentType: file.contentType,
    data: file.bytes.toString('base64'),
  });
  const job = expectStatus(response, 202, `POST /jobs ${file.fileName}`).body.job;
  return { job, message: await messageOf(account, job.id) };
}

async function messageOf(account: Account, jobId: string, timeoutMs?: number): Promise<Message> {
  const done = await waitForCompletion(account, jobId, timeoutMs);
  const page = await messagesPage(account, done.roomId, `?after=${done.result.seq - 1}&limit=1`);
  const message = page.messages[0];
  if (!message?.attachment) throw new Error(`job ${jobId} made no message with an attachment`);
  return message;
}

async function objectBytes(key: string): Promise<Buffer> {
  const object = await bucket.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

/** The key under `files/` that holds exactly these bytes. */
async function originalKeyOf(bytes: Buffer): Promise<string | undefined> {
  const listing = await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'files/' }));
  for (const object of listing.Contents ?? []) {
    if (object.Key && object.Size === bytes.length && (await objectBytes(object.Key)).equals(bytes)) {
      return object.Key;
    }
  }
  return undefined;
}

async function filesInBucket(): Promise<string[]> {
  const listing = await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'files/' }));
  return (listing.Contents ?? []).map((object) => object.Key ?? '').sort();
}

async function followLink(location: string) {
  const response = await fetch(location, { signal: AbortSignal.timeout(10_000) });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('one server on S3', () => {
  let server: TestServer;
  let alice: Account;
  let bob: Account;
  let mallory: Account;

  beforeAll(async () => {
    server = await startServer({ env: { ...s3.env, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
    alice = await register(server, uniqueName('alice'));
    bob = await register(server, uniqueName('bob'));
    mallory = await register(server, uniqueName('mallory'));
  });
  afterAll(() => server?.dispose());

  it('stores an uploaded PNG and its thumbnail in the bucket, and redirects members to them', async () => {
    const general = await generalRoom(alice);
    const png = makePng(600, 400);
    const { message } = await sendFile(alice, general.id, {
      fileName: 'gradient.png',
      contentType: 'image/png',
      bytes: png,
    });
    const attachment = message.attachment;
    expect(attachment).toMatchObject({ contentType: 'image/png', size: png.length, width: 600, height: 400 });
    expect(attachment?.thumbnailUrl).toBeDefined();

    // The original and the thumbnail beside it, in the bucket (nothing under DATA_DIR/blobs).
    expect(await originalKeyOf(png)).toMatch(/^files\//);
    const thumbnail = await bucket.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: `thumbnails/${attachment?.id}.webp` }),
    );
    expect(thumbnail.ContentLength).toBeGreaterThan(0);

    // A member is sent to a presigned URL that serves the same bytes with the same headers.
    const answer = await bob.api.get(`/files/${attachment?.id}`);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    const location = answer.headers.get('location') ?? '';
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/files/`)).toBe(true);
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('300');
    const original = await followLink(location);
    expect(original.response.status).toBe(200);
    expect(original.response.headers.get('content-type')).toBe('image/png');
    expect(original.response.headers.get('content-disposition')).toBe(
      `inline; filename="gradient.png"; filename*=UTF-8''gradient.png`,
    );
    expect(original.bytes.equals(png)).toBe(true);

    const preview = await bob.api.get(`/files/${attachment?.id}/thumbnail`);
    expect(preview.status).toBe(302);
    expect(preview.headers.get('cache-control')).toBe('private, no-store');
    const thumbnailBytes = await followLink(preview.headers.get('location') ?? '');
    expect(thumbnailBytes.response.headers.get('content-type')).toBe('image/webp');
    expect(thumbnailBytes.bytes.equals(await objectBytes(`thumbnails/${attachment?.id}.webp`))).toBe(true);

    // Without credentials: 401, and no link.
    const anonymous = await request(server, `/files/${attachment?.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('location')).toBeNull();
  });

  it('serves an HTML upload from S3 as an attachment, never inline', async () => {
    const general = await generalRoom(alice);
    const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
    const { message } = await sendFile(alice, general.id, {
      fileName: 'page.html',
      contentType: 'text/html',
      bytes: html,
    });
    const answer = await alice.api.get(`/files/${message.attachment?.id}`);
    expect(answer.status).toBe(302);
    const file = await followLink(answer.headers.get('location') ?? '');
    expect(file.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(file.response.headers.get('content-disposition')).toMatch(/^attachment; filename="page.html"/);
    expect(file.bytes.equals(html)).toBe(true);
    expect((await alice.api.get(`/files/${message.attachment?.id}/thumbnail`)).status).toBe(404);
  });

  it('streams a multi-MiB multipart upload into S3, and keeps nothing of one over MAX_UPLOAD_BYTES', async () => {
    const general = await generalRoom(alice);
    const bytes = randomBytes(7 * 1024 * 1024 + 11);
    const form = new FormData();
    form.set('type', 'file');
    form.set('roomId', general.id);
    form.set('file', new Blob([bytes], { type: 'application/octet-stream' }), 'archive.bin');
    const response = await alice.api.request<{ job: Job }>('/jobs', { method: 'POST', body: form });
    const job = expectStatus(response, 202, 'POST /jobs multipart').body.job;
    const message = await messageOf(alice, job.id);
    expect(message.attachment).toMatchObject({ fileName: 'archive.bin', size: bytes.length });
    const key = await originalKeyOf(bytes);
    expect(key).toMatch(/^files\//);
    const answer = await alice.api.get(`/files/${message.attachment?.id}`);
    expect(answer.status).toBe(302);
    const file = await followLink(answer.headers.get('location') ?? '');
    expect(file.response.headers.get('content-disposition')).toMatch(/^attachment; filename="archive.bin"/);
    expect(file.bytes.equals(bytes)).toBe(true);

    const before = await filesInBucket();
    const tooBig = new FormData();
    tooBig.set('type', 'file');
    tooBig.set('roomId', general.id);
    tooBig.set('file', new Blob([randomBytes(MAX_UPLOAD_BYTES + 1)]), 'too-big.bin');
    const refused = await alice.api.request('/jobs', { method: 'POST', body: tooBig });
    expect(refused.status).toBe(413);
    expect(await filesInBucket()).toEqual(before);
  });

  it('gives non-members the same 403/404 as without S3, and no link', async () => {
    const secret = await createRoom(alice, { name: uniqueName('secret'), visibility: 'private' });
    const open = await createRoom(alice, { name: uniqueName('open'), visibility: 'public' });
    const inSecret = await sendFile(alice, secret.id, {
      fileName: 'secret.png',
      contentType: 'image/png',
      bytes: makePng(20, 20),
    });
    const inOpen = await sendFile(alice, open.id, {
      fileName: 'open.png',
      contentType: 'image/png',
      bytes: makePng(20, 20),
    });
    for (const path of ['', '/thumbnail']) {
      const hidden = await mallory.api.get(`/files/${inSecret.message.attachment?.id}${path}`);
      expect(hidden.status).toBe(404);
      expect(hidden.headers.get('location')).toBeNull();
      const notJoined = await mallory.api.get(`/files/${inOpen.message.attachment?.id}${path}`);
      expect(notJoined.status).toBe(403);
      expect(notJoined.headers.get('location')).toBeNull();
    }
    expect((await mallory.api.get('/files/no-such-file')).status).toBe(404);
  });
});

describe('starting on S3', () => {
  it('refuses to start when the bucket does not exist, naming S3_BUCKET', async () => {
    await expect(startServer({ env: { ...s3.env, S3_BUCKET: 'no-such-bucket' } })).rejects.toThrow(
      /S3_BUCKET "no-such-bucket" at http:\/\/127\.0\.0\.1:\d+ does not exist/,
    );
  });
});

describe('S3 stopped while a file job runs', () => {
  let relay: S3Relay;
  let server: TestServer;

  beforeAll(async () => {
    relay = await startS3Relay(s3.endpoint);
    server = await startServer({ env: { ...s3.env, S3_ENDPOINT: relay.endpoint, JOB_MAX_ATTEMPTS: '10' } });
  });
  afterAll(async () => {
    await server?.dispose();
    await relay?.close();
    await s3.resume();
  });

  it('retries the job while S3 is down and completes it once S3 is back', async () => {
    const alice = await register(server, uniqueName('alice'));
    const general = await generalRoom(alice);
    const png = makePng(64, 64);
    // S3 stops the moment the upload is stored, before the server answers 202 (and so before
    // its worker can read the bytes): the job's first attempt always meets a dead S3.
    relay.beforeAnswer = async (request, status) => {
      if (request.method === 'PUT' && request.url.startsWith(`/${s3.bucket}/files/`) && status === 200) {
        relay.beforeAnswer = undefined;
        await s3.pause();
      }
    };
    const response = await alice.api.post<{ job: Job }>('/jobs', {
      type: 'file',
      roomId: general.id,
      fileName: 'patient.png',
      contentType: 'image/png',
      data: png.toString('base64'),
    });
    const job = expectStatus(response, 202, 'POST /jobs').body.job;

    // Failed attempts are recorded as transient (retried), never as the end of the job.
    let seen: Job | undefined;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      seen = expectStatus(await alice.api.get<{ job: Job }>(`/jobs/${job.id}`), 200, 'GET /jobs/:id').body
        .job;
      if (seen.attempts >= 2 && seen.status !== 'processing') break;
      await sleep(100);
    }
    expect(seen).toMatchObject({
      status: 'queued',
      error: { code: 'unavailable', message: 'File storage is not reachable; try again shortly.' },
    });
    expect(seen?.attempts).toBeGreaterThanOrEqual(2);

    await s3.resume();
    const message = await messageOf(alice, job.id, 30_000);
    expect(message.attachment).toMatchObject({ size: png.length, width: 64, height: 64 });
    const answer = await alice.api.get(`/files/${message.attachment?.id}`);
    expect(answer.status).toBe(302);
    expect((await followLink(answer.headers.get('location') ?? '')).bytes.equals(png)).toBe(true);
  });
});

describe('S3 down for longer than a job retries', () => {
  let relay: S3Relay;
  let server: TestServer;

  beforeAll(async () => {
    relay = await startS3Relay(s3.endpoint);
    server = await startServer({ env: { ...s3.env, S3_ENDPOINT: relay.endpoint, JOB_MAX_ATTEMPTS: '2' } });
  });
  afterAll(async () => {
    await server?.dispose();
    await relay?.close();
    await s3.resume();
  });

  it('lands the job in the dead letter queue, and a retry after S3 returns completes it', async () => {
    const admin = await register(server, uniqueName('admin')); // the first account: instance admin
    const general = await generalRoom(admin);
    const png = makePng(32, 32);
    relay.beforeAnswer = async (request, status) => {
      if (request.method === 'PUT' && request.url.startsWith(`/${s3.bucket}/files/`) && status === 200) {
        relay.beforeAnswer = undefined;
        await s3.pause();
      }
    };
    const response = await admin.api.post<{ job: Job }>('/jobs', {
      type: 'file',
      roomId: general.id,
      fileName: 'stubborn.png',
      contentType: 'image/png',
      data: png.toString('base64'),
    });
    const job = expectStatus(response, 202, 'POST /jobs').body.job;

    let failed: Job | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      failed = expectStatus(await admin.api.get<{ job: Job }>(`/jobs/${job.id}`), 200, 'GET /jobs/:id').body
        .job;
      if (failed.status === 'failed') break;
      await sleep(200);
    }
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'unavailable' } });
    const dlq = expectStatus(await admin.api.get<{ jobs: Job[] }>('/admin/dlq'), 200, 'GET /admin/dlq').body;
    expect(dlq.jobs.map((candidate) => candidate.id)).toContain(job.id);

    await s3.resume();
    expectStatus(await admin.api.post(`/admin/dlq/${job.id}/retry`), 202, 'retry');
    const message = await messageOf(admin, job.id, 30_000);
    expect(message.attachment).toMatchObject({ size: png.length, width: 32, height: 32 });
  }, 90_000);
});

describe('two instances sharing PostgreSQL and the bucket', () => {
  let postgres: TestPostgres | undefined;
  let relay: S3Relay;
  let staging: TestServer;
  let processing: TestServer;

  beforeAll(async () => {
    postgres = await startPostgresForTests('test/blobs/s3-server.test.ts');
    if (!postgres) return;
    const databaseUrl = await postgres.createDatabase();
    relay = await startS3Relay(s3.endpoint);
    staging = await startServer({
      env: { ...s3.env, S3_ENDPOINT: relay.endpoint, DATABASE_URL: databaseUrl, JOB_MAX_ATTEMPTS: '20' },
    });
    processing = await startServer({ env: { ...s3.env, DATABASE_URL: databaseUrl, JOB_MAX_ATTEMPTS: '20' } });
  });
  afterAll(async () => {
    await staging?.dispose();
    await processing?.dispose();
    await relay?.close();
    await postgres?.stop();
  });

  it('processes on one instance a file staged by another', { timeout: 60_000 }, async (context) => {
    if (!postgres) context.skip();
    const alice = await register(staging, uniqueName('alice'));
    const general = await generalRoom(alice);
    const png = makePng(300, 200);
    // Once the staging instance has stored the upload it loses S3 for good: its own worker can
    // never read the bytes, so only the other instance's worker can complete the job.
    relay.beforeAnswer = (request, status) => {
      if (request.method === 'PUT' && request.url.startsWith(`/${s3.bucket}/files/`) && status === 200) {
        relay.beforeAnswer = undefined;
        relay.cut = true;
      }
    };
    const response = await alice.api.post<{ job: Job }>('/jobs', {
      type: 'file',
      roomId: general.id,
      fileName: 'travelled.png',
      contentType: 'image/png',
      data: png.toString('base64'),
    });
    const job = expectStatus(response, 202, 'POST /jobs on the staging instance').body.job;
    // And then it stops. While it ran, its worker and the other's raced for each retry (both poll
    // every 250 ms); with unlucky poll phases the staging one kept winning and failing, and the
    // backoff outgrew the wait (a CI run saw 7 lost attempts in 30 s). The job, committed before
    // its 202, must now be done by the other instance alone.
    await staging.dispose();

    // Seen through the other instance: same database, same account.
    const viaOther = { ...alice, api: api(processing, alice.token) };
    const message = await messageOf(viaOther, job.id, 30_000);
    const attachment = message.attachment;
    expect(attachment).toMatchObject({ size: png.length, width: 300, height: 200 });
    expect(await originalKeyOf(png)).toMatch(/^files\//);
    const thumbnail = await bucket.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: `thumbnails/${attachment?.id}.webp` }),
    );
    expect(thumbnail.ContentLength).toBeGreaterThan(0);

    const answer = await viaOther.api.get(`/files/${attachment?.id}`);
    expect(answer.status).toBe(302);
    expect((await followLink(answer.headers.get('location') ?? '')).bytes.equals(png)).toBe(true);
  });
});
