/**
 * A throwaway S3-compatible server for tests: s3rver in this process, on a free port, keeping
 * its objects in a temporary directory, with one bucket made for the test. It can be stopped
 * and started again on the same port and directory, so a test can take S3 away and give it back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** s3rver accepts requests signed with these. */
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';
const REGION = 'us-east-1';

export interface TestS3 {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly bucket: string;
  /** S3_* variables for a server child process using this bucket. */
  readonly env: Record<string, string>;
  /** Options for S3BlobStore.open (and a client of its own) for the same bucket. */
  readonly options: {
    bucket: string;
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    forcePathStyle: true;
    presignSeconds: number;
  };
  /** A client for looking into the bucket from the test. */
  client(): S3Client;
  /** Takes the server away: open connections are cut, new ones refused. The objects stay. */
  pause(): Promise<void>;
  /** Starts it again on the same port with the same objects. */
  resume(): Promise<void>;
  /** Stops the server and deletes its files. Idempotent. */
  stop(): Promise<void>;
}

let buckets = 0;

export async function startS3(): Promise<TestS3> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'parley-s3-'));
  const bucket = `parley-test-${process.pid}-${++buckets}`;
  let server: S3rver | undefined;
  /** 0 the first time (any free port), then the same port again. */
  let port = 0;
  const run = async () => {
    server = new S3rver({ address: '127.0.0.1', port, silent: true, directory });
    port = (await server.run()).port;
  };
  const halt = async () => {
    const running = server;
    server = undefined;
    if (!running) return;
    // close() alone waits for the SDK's kept-alive connections, which never end by themselves.
    const closed = running.close();
    running.httpServer?.closeAllConnections();
    await closed;
  };
  await run();
  const endpoint = `http://127.0.0.1:${port}`;
  const options = {
    bucket,
    endpoint,
    region: REGION,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    forcePathStyle: true as const,
    presignSeconds: 300,
  };
  const client = () =>
    new S3Client({
      endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: options.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const admin = client();
  try {
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    admin.destroy();
  }
  let stopped = false;
  return {
    endpoint,
    bucket,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: REGION,
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: SECRET_KEY,
    },
    options,
    client,
    pause: halt,
    async resume() {
      if (!server) await run();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
