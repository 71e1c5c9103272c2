import type { Kysely, Migration } from 'kysely';

/**
 * File jobs name their uploaded blob in a column (not only inside the JSON payload), and files
 * are indexed by blob, so the sweeper can tell an orphaned blob from one still in use.
 */
export const jobBlobKey: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('jobs').addColumn('blob_key', 'text').execute();
    await db.schema.createIndex('jobs_by_blob').on('jobs').column('blob_key').execute();
    await db.schema.createIndex('files_by_blob').on('files').column('blob_key').execute();
    const typed = db as unknown as Kysely<{
      jobs: { id: string; type: string; payload: string; blob_key: string | null };
    }>;
    const fileJobs = await typed
      .selectFrom('jobs')
      .select(['id', 'payload'])
      .where('type', '=', 'file')
      .execute();
    for (const job of fileJobs) {
      const payload = JSON.parse(job.payload) as { blobKey?: string };
      if (payload.blobKey) {
        await typed.updateTable('jobs').set({ blob_key: payload.blobKey }).where('id', '=', job.id).execute();
      }
    }
  },
};
