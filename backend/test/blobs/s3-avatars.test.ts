/**
 * Avatars on S3: a real server process with S3_* set and a real S3-compatible server (s3rver).
 * The images go into the bucket under `avatars/`, are served through the server, and the
 * replaced ones are deleted from the bucket.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { User } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, expectStatus, register, uniqueName } from '../support/client.js';
import { makePng } from '../support/files.js';
import { startS3, type TestS3 } from '../support/s3.js';
import { startServer, type TestServer } from '../support/server.js';

let s3: TestS3;
let bucket: S3Client;
let server: TestServer;

beforeAll(async () => {
  s3 = await startS3();
  bucket = s3.client();
  server = await startServer({ env: s3.env });
});
afterAll(async () => {
  await server?.dispose();
  bucket?.destroy();
  await s3?.stop();
});

async function avatarKeys(userId: string): Promise<string[]> {
  const listing = await bucket.send(
    new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `avatars/${userId}/` }),
  );
  return (listing.Contents ?? []).map((object) => object.Key ?? '').sort();
}

const putAvatar = async (account: Account, bytes: Buffer): Promise<User> =>
  expectStatus(
    await account.api.request<{ user: User }>('/me/avatar', {
      method: 'PUT',
      body: bytes,
      headers: { 'content-type': 'image/png' },
    }),
    200,
    'PUT /me/avatar',
  ).body.user;

describe('avatars on S3', () => {
  it('stores both sizes in the bucket, serves them, and deletes them when replaced or removed', async () => {
    const ann = await register(server, uniqueName('ann'));
    const bob = await register(server, uniqueName('bob'));
    const first = await putAvatar(ann, makePng(300, 200));
    const version = first.avatarUrl?.split('/').pop() ?? '';
    expect(await avatarKeys(ann.user.id)).toEqual([
      `avatars/${ann.user.id}/${version}-256.webp`,
      `avatars/${ann.user.id}/${version}-64.webp`,
    ]);

    const served = await fetch(new URL(first.avatarUrl ?? '', server.httpUrl), {
      headers: { authorization: `Bearer ${bob.token}` },
    });
    expect(served.status).toBe(200);
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256 });

    const second = await putAvatar(ann, makePng(50, 80));
    const secondVersion = second.avatarUrl?.split('/').pop() ?? '';
    expect(await avatarKeys(ann.user.id)).toEqual([
      `avatars/${ann.user.id}/${secondVersion}-256.webp`,
      `avatars/${ann.user.id}/${secondVersion}-64.webp`,
    ]);
    expectStatus(await ann.api.delete('/me/avatar'), 200, 'DELETE /me/avatar');
    expect(await avatarKeys(ann.user.id)).toEqual([]);
  });
});
