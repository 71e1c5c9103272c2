import type { Readable } from 'node:stream';
import type { Principal } from '../accounts/principal.js';
import { notFound } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/database.js';
import type { FileRecord } from '../ports/records.js';
import { requireMember } from '../rooms/access.js';
import { isInlineSafe } from './content-type.js';
import { contentTypeHeader, dispositionHeader } from './download-headers.js';

/** The bytes to stream, for a store that cannot serve them itself (local disk). */
export interface FileStream {
  kind: 'stream';
  file: FileRecord;
  body: Readable;
  contentType: string;
  size: number | undefined;
  /** `attachment` for anything a browser could execute. */
  disposition: 'inline' | 'attachment';
}

/** A short-lived link straight to the bytes in storage (S3), which sends the same headers. */
export interface FileLink {
  kind: 'link';
  file: FileRecord;
  url: string;
}

export type FileDownload = FileStream | FileLink;

export class FilesService {
  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * The file's bytes (or its thumbnail) for a member of its room: a link when the store can hand
   * one out, else a stream. The membership check comes first either way, so a link is never
   * made for someone who may not read the file.
   */
  async open(principal: Principal, fileId: string, variant: 'original' | 'thumbnail'): Promise<FileDownload> {
    const file = await this.db.files.find(fileId);
    if (!file) throw notFound('No such file.');
    await requireMember(this.db, principal, file.roomId);
    const key = variant === 'original' ? file.blobKey : file.thumbnailKey;
    if (!key) throw notFound('This file has no thumbnail.');
    const contentType = variant === 'thumbnail' ? 'image/webp' : file.contentType;
    const disposition = variant === 'thumbnail' || isInlineSafe(file.contentType) ? 'inline' : 'attachment';
    if (this.blobs.downloadUrl) {
      // No check that the object exists: a link to bytes that are gone answers 404 from storage,
      // which is what the browser would have got from here, without a round trip per download.
      const url = await this.blobs.downloadUrl(key, {
        contentType: contentTypeHeader(contentType),
        contentDisposition: dispositionHeader(disposition, file.fileName),
      });
      return { kind: 'link', file, url };
    }
    const body = await this.blobs.get(key);
    if (!body) throw notFound('No such file.');
    const size = variant === 'thumbnail' ? undefined : file.size;
    return { kind: 'stream', file, body, contentType, size, disposition };
  }
}
