/**
 * One file on its way into a job. It is begun only once the caller may send to the room
 * (jobs-service.ts `beginFileUpload`), so a stranger cannot make the server store a single byte
 * for a room it cannot post in; then its bytes are stored (streamed, within MAX_UPLOAD_BYTES),
 * and it is submitted as a job or discarded. Bytes that no job will name are removed.
 */
import type { Readable } from 'node:stream';
import { AppError, fileTooLarge, invalidField } from '../errors.js';
import { newId } from '../ids.js';
import { type BlobStore, BlobTooLargeError, type StoredBlob } from '../ports/blob-store.js';

export interface FileDetails {
  fileName: string;
  contentType: string;
  caption?: string;
}

export interface StoredUpload extends StoredBlob {
  blobKey: string;
}

export class FileUpload {
  private stored: StoredUpload | undefined;

  constructor(
    readonly roomId: string,
    private readonly blobs: BlobStore,
    private readonly maxBytes: number,
  ) {}

  /** Writes the bytes to the blob store; a second call is a mistake of the caller. */
  async store(source: Readable | Buffer): Promise<StoredUpload> {
    if (this.stored) throw new AppError('validation_failed', 'Only one file per upload.');
    const blobKey = `files/${newId()}`;
    let blob: StoredBlob;
    try {
      blob = await this.blobs.put(blobKey, source, { maxBytes: this.maxBytes });
    } catch (error) {
      if (error instanceof BlobTooLargeError) throw fileTooLarge(this.maxBytes);
      throw error;
    }
    if (blob.size === 0) {
      await this.blobs.delete(blobKey).catch(() => {});
      throw invalidField('file', 'must not be empty');
    }
    this.stored = { blobKey, ...blob };
    return this.stored;
  }

  /** The stored bytes, for the job that will name them. */
  get upload(): StoredUpload | undefined {
    return this.stored;
  }

  /** Removes the stored bytes (the upload was refused or replayed). */
  async discard(): Promise<void> {
    const stored = this.stored;
    this.stored = undefined;
    if (stored) await this.blobs.delete(stored.blobKey).catch(() => {});
  }
}
