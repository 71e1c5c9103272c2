import type { Readable } from 'node:stream';

export interface StoredBlob {
  size: number;
  sha256: string;
}

/** Thrown by `put` when the source is longer than maxBytes; nothing is kept. */
export class BlobTooLargeError extends Error {
  override readonly name = 'BlobTooLargeError';
}

/** The response headers a download link makes the storage service send with the bytes. */
export interface DownloadResponse {
  contentType: string;
  contentDisposition: string;
}

/** Where file bytes live: local disk by default, S3 when configured. */
export interface BlobStore {
  /** Stores the bytes durably under key (all or nothing). */
  put(key: string, source: Readable | Buffer, options?: { maxBytes?: number }): Promise<StoredBlob>;
  /** A stream of the bytes, or undefined when there is no such blob. */
  get(key: string): Promise<Readable | undefined>;
  /** The first `length` bytes (content sniffing). */
  head(key: string, length: number): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
  /**
   * Keys under a prefix (`files/`, `avatars/`), in its sub-folders too, last written before a
   * time, at most `limit` of them.
   */
  listOlderThan(prefix: string, before: Date, limit: number): Promise<string[]>;
  /**
   * Optional: a short-lived URL (its lifetime is the store's configuration) from which anyone
   * holding it can fetch the bytes straight from storage with these headers. Offered by stores
   * that can serve bytes themselves (S3), so downloads need not pass through this server; only
   * ever handed out after the caller's access was checked.
   */
  downloadUrl?(key: string, response: DownloadResponse): Promise<string>;
}
