import type { Readable } from 'node:stream';
import type { Principal } from '../accounts/principal.js';
import { notFound } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/database.js';
import type { FileRecord } from '../ports/records.js';
import { requireMember } from '../rooms/access.js';
import { isInlineSafe } from './content-type.js';

export interface FileDownload {
  file: FileRecord;
  body: Readable;
  contentType: string;
  size: number | undefined;
  /** `attachment` for anything a browser could execute. */
  disposition: 'inline' | 'attachment';
}

export class FilesService {
  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
  ) {}

  /** The file's bytes (or its thumbnail) for a member of its room. */
  async open(principal: Principal, fileId: string, variant: 'original' | 'thumbnail'): Promise<FileDownload> {
    const file = await this.db.files.find(fileId);
    if (!file) throw notFound('No such file.');
    await requireMember(this.db, principal, file.roomId);
    const key = variant === 'original' ? file.blobKey : file.thumbnailKey;
    if (!key) throw notFound('This file has no thumbnail.');
    const body = await this.blobs.get(key);
    if (!body) throw notFound('No such file.');
    if (variant === 'thumbnail') {
      return { file, body, contentType: 'image/webp', size: undefined, disposition: 'inline' };
    }
    return {
      file,
      body,
      contentType: file.contentType,
      size: file.size,
      disposition: isInlineSafe(file.contentType) ? 'inline' : 'attachment',
    };
  }
}
