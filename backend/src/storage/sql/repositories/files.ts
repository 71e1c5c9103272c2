import type { Kysely } from 'kysely';
import type { FilesRepository } from '../../../core/ports/database.js';
import type { FileRecord } from '../../../core/ports/records.js';
import type { Tables } from '../schema.js';

export class SqlFiles implements FilesRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async insert(file: FileRecord): Promise<void> {
    await this.db
      .insertInto('files')
      .values({
        id: file.id,
        room_id: file.roomId,
        uploader_id: file.uploaderId,
        blob_key: file.blobKey,
        file_name: file.fileName,
        content_type: file.contentType,
        size: file.size,
        width: file.width,
        height: file.height,
        thumbnail_key: file.thumbnailKey,
        created_at: file.createdAt,
      })
      .execute();
  }

  async isBlobInUse(blobKey: string): Promise<boolean> {
    const file = await this.db
      .selectFrom('files')
      .select('id')
      .where((eb) => eb.or([eb('blob_key', '=', blobKey), eb('thumbnail_key', '=', blobKey)]))
      .limit(1)
      .executeTakeFirst();
    if (file) return true;
    // A completed job's upload belongs to its file row from then on; a failed one is kept for a retry.
    const job = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('blob_key', '=', blobKey)
      .where('status', '!=', 'completed')
      .limit(1)
      .executeTakeFirst();
    return job !== undefined;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('files').where('id', '=', id).execute();
  }

  async find(id: string): Promise<FileRecord | undefined> {
    const row = await this.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      row && {
        id: row.id,
        roomId: row.room_id,
        uploaderId: row.uploader_id,
        blobKey: row.blob_key,
        fileName: row.file_name,
        contentType: row.content_type,
        size: Number(row.size),
        width: row.width === null ? null : Number(row.width),
        height: row.height === null ? null : Number(row.height),
        thumbnailKey: row.thumbnail_key,
        createdAt: row.created_at,
      }
    );
  }
}
