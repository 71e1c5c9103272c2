/**
 * Files in an S3 bucket (AWS, or an S3-compatible server at `endpoint`), shared by every
 * instance: a file staged by one instance's HTTP edge is read by another instance's job worker.
 *
 * Uploads are streamed (multipart above one part) and never buffered whole; an object only
 * becomes visible once the upload completes, so a failed or refused upload leaves nothing under
 * its key (a multipart upload is aborted, and its parts dropped, on any error).
 */
import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { dependencyUnavailable } from '../../core/errors.js';
import {
  type BlobStore,
  BlobTooLargeError,
  type DownloadResponse,
  type StoredBlob,
} from '../../core/ports/blob-store.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** An S3-compatible server; undefined for AWS. */
  endpoint?: string | undefined;
  region: string;
  /** Undefined: the AWS SDK's default provider chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
  /**
   * Lifetime of the download URLs handed to browsers; undefined: no URLs, the server streams
   * the bytes itself (S3_DOWNLOADS=proxy, when browsers cannot reach the S3 endpoint).
   */
  presignSeconds: number | undefined;
}

/** The same key shapes the local store accepts: made by the server, never by clients. */
const SAFE_KEY = /^[a-z0-9-]+(\/[a-zA-Z0-9._-]+)+$/;
/** S3's smallest part; the upload holds at most QUEUE_SIZE parts in memory at once. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

export class S3BlobStore implements BlobStore {
  /** Present only when downloads are redirected to S3 (the port's optional capability). */
  readonly downloadUrl?: (key: string, response: DownloadResponse) => Promise<string>;

  private constructor(
    private readonly client: S3Client,
    private readonly options: S3BlobStoreOptions,
  ) {
    const seconds = options.presignSeconds;
    if (seconds !== undefined) this.downloadUrl = (key, response) => this.presign(key, response, seconds);
  }

  /** Connects and checks that the bucket exists; never creates it (that is the operator's call). */
  static async open(options: S3BlobStoreOptions): Promise<S3BlobStore> {
    const client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      // Flexible checksums (the SDK's default since 2025) are not understood by many
      // S3-compatible servers: s3rver, for one, stores streamed uploads with the checksum
      // framing inside the object. S3 itself does not require them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // A dead or stalled S3 must fail a request (a job then retries later), not hang it.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    });
    try {
      await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
    } catch (error) {
      client.destroy();
      const where = options.endpoint ?? `AWS S3 (${options.region})`;
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      const reason =
        status === 404
          ? 'does not exist (create it first; Parley never creates buckets)'
          : status === 403 || status === 401
            ? 'is not accessible with these credentials'
            : `could not be reached: ${String(error)}`;
      throw new Error(`S3_BUCKET "${options.bucket}" at ${where} ${reason}`, { cause: error });
    }
    return new S3BlobStore(client, options);
  }

  async put(
    key: string,
    source: Readable | Buffer,
    options: { maxBytes?: number } = {},
  ): Promise<StoredBlob> {
    checkKey(key);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (options.maxBytes !== undefined && size > options.maxBytes) {
          // Failing the body fails the upload: lib-storage aborts the multipart upload (its
          // parts are dropped) and a single-part upload is never sent, so nothing is kept.
          done(new BlobTooLargeError(`over ${options.maxBytes} bytes`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    // The source's own errors (a client that went away mid-upload) fail the body too.
    let bodyError: unknown;
    const body = pipeline(input, meter, (error) => {
      if (error) bodyError = error;
    });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: key, Body: body },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // Why the body failed is the answer (BlobTooLargeError above all), even when aborting the
      // multipart upload afterwards failed too and lib-storage reports that instead. Parts of an
      // upload whose abort failed are never an object; a bucket lifecycle rule
      // (AbortIncompleteMultipartUpload) reclaims their space.
      throw bodyError ?? unreachableOr(error);
    }
    return { size, sha256: hash.digest('hex') };
  }

  async get(key: string): Promise<Readable | undefined> {
    checkKey(key);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return asReadable(object.Body, key);
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw unreachableOr(error);
    }
  }

  async head(key: string, length: number): Promise<Buffer | undefined> {
    checkKey(key);
    let body: Readable;
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Range: `bytes=0-${Math.max(0, length - 1)}`,
        }),
      );
      body = asReadable(object.Body, key);
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      // A range starting at 0 is unsatisfiable only for an empty object.
      if (error instanceof S3ServiceException && error.name === 'InvalidRange') return Buffer.alloc(0);
      throw unreachableOr(error);
    }
    const chunks: Buffer[] = [];
    let read = 0;
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      read += (chunk as Buffer).length;
    }
    // A server that ignores Range sends everything: keep only what was asked for.
    return Buffer.concat(chunks, read).subarray(0, length);
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    // S3 answers a delete of a missing key with success, as the local store does.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  async listOlderThan(prefix: string, before: Date, limit: number): Promise<string[]> {
    const folder = prefix.replace(/\/+$/, '');
    if (!/^[a-z0-9-]+$/.test(folder)) throw new Error(`unsafe blob prefix: ${prefix}`);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          // Every key under the prefix, folders within it included (avatars/<user>/…).
          Prefix: `${folder}/`,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (keys.length >= limit) return keys;
        if (object.Key && object.LastModified && object.LastModified < before) keys.push(object.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && keys.length < limit);
    return keys;
  }

  /**
   * A presigned GET that makes S3 answer with our Content-Type and Content-Disposition.
   * `X-Content-Type-Options: nosniff` and the sandboxing Content-Security-Policy cannot be
   * requested this way (S3 only overrides a fixed set of response headers), which is why the
   * disposition matters: anything a browser could run is an attachment, never rendered inline.
   */
  private async presign(key: string, response: DownloadResponse, expiresIn: number): Promise<string> {
    checkKey(key);
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: key,
      ResponseContentType: response.contentType,
      ResponseContentDisposition: response.contentDisposition,
      // As when this server streams the bytes: a file's bytes never change.
      ResponseCacheControl: 'private, max-age=31536000, immutable',
    });
    return getSignedUrl(this.client, command, { expiresIn });
  }

  /** Closes the client's pooled connections. */
  close(): void {
    this.client.destroy();
  }
}

function checkKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe blob key: ${key}`);
}

/** Only a missing object is "no such blob": a missing bucket or a refusal is a real failure. */
function isNoSuchKey(error: unknown): boolean {
  return error instanceof S3ServiceException && error.name === 'NoSuchKey';
}

function asReadable(body: unknown, key: string): Readable {
  // In Node the SDK's body is an http.IncomingMessage.
  if (body instanceof Readable) return body;
  throw new Error(`S3 returned no readable body for ${key}`);
}

/**
 * S3 that cannot be reached (no connection, a timeout, a 5xx) is a 503 with Retry-After to a
 * request, and a transient failure to a job; an answer of S3's own (403, 404…) is kept as is.
 */
function unreachableOr(error: unknown): unknown {
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  if (status !== undefined && status < 500) return error;
  return dependencyUnavailable('File storage', error);
}
