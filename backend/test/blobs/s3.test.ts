/**
 * The blob store contract on S3 (s3rver, a real S3-compatible server in this process), and
 * what only the S3 store does: refuse to open without its bucket, and hand out download links.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeHeader, dispositionHeader } from '../../src/core/files/download-headers.js';
import { S3BlobStore } from '../../src/storage/s3/s3-blob-store.js';
import { startS3, type TestS3 } from '../support/s3.js';
import { describeBlobStoreContract } from './blob-store.contract.js';

let s3: TestS3;
const opened: S3BlobStore[] = [];
const open = async (options?: Partial<TestS3['options']>) => {
  const store = await S3BlobStore.open({ ...s3.options, ...options });
  opened.push(store);
  return store;
};

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  for (const store of opened) store.close();
  await s3?.stop();
});

describeBlobStoreContract({ name: 'S3 (s3rver)', open: () => open() });

describe('S3BlobStore', () => {
  it('refuses to open a bucket that does not exist, naming S3_BUCKET', async () => {
    await expect(S3BlobStore.open({ ...s3.options, bucket: 'no-such-bucket' })).rejects.toThrow(
      /S3_BUCKET "no-such-bucket" .* does not exist/,
    );
  });

  it('refuses to open when S3 cannot be reached, naming S3_BUCKET', async () => {
    await expect(S3BlobStore.open({ ...s3.options, endpoint: 'http://127.0.0.1:1' })).rejects.toThrow(
      /S3_BUCKET .* could not be reached/,
    );
  });

  function linkOf(store: S3BlobStore) {
    const { downloadUrl } = store;
    if (!downloadUrl) throw new Error('a store opened with presignSeconds must hand out links');
    return downloadUrl;
  }

  it('hands out no links when downloads stream through the server (S3_DOWNLOADS=proxy)', async () => {
    const store = await open({ presignSeconds: undefined });
    expect(store.downloadUrl).toBeUndefined();
  });

  it('hands out a short-lived link that serves the bytes with our headers', async () => {
    const store = await open({ presignSeconds: 120 });
    const bytes = randomBytes(5000);
    await store.put('files/linked', bytes);
    const fileName = 'résumé "final".html';
    const url = await linkOf(store)('files/linked', {
      contentType: contentTypeHeader('text/html'),
      contentDisposition: dispositionHeader('attachment', fileName),
    });
    expect(url).toContain(`/${s3.bucket}/files/linked?`);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('120');

    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(dispositionHeader('attachment', fileName));
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('hands out links that stop working after S3_PRESIGN_SECONDS', async () => {
    const store = await open({ presignSeconds: 1 });
    await store.put('files/fleeting', Buffer.from('soon gone'));
    const url = await linkOf(store)('files/fleeting', {
      contentType: 'text/plain; charset=utf-8',
      contentDisposition: dispositionHeader('inline', 'note.txt'),
    });
    expect((await fetch(url, { signal: AbortSignal.timeout(10_000) })).status).toBe(200);
    await sleep(2100);
    expect((await fetch(url, { signal: AbortSignal.timeout(10_000) })).status).toBe(403);
  });
});
