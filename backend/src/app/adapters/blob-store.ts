/** Where file bytes live for the configuration: DATA_DIR on local disk by default; S3 when S3_BUCKET is set. */
import type { Config } from '../../config/config.js';
import type { BlobStore } from '../../core/ports/blob-store.js';
import type { Logger } from '../../logging/logger.js';
import { LocalBlobStore } from '../../storage/local-disk/local-blob-store.js';
import { S3BlobStore } from '../../storage/s3/s3-blob-store.js';

export async function openBlobStore(config: Config, log: Logger): Promise<BlobStore> {
  if (config.s3) {
    // Fails start-up when the bucket is missing or unreachable, naming S3_BUCKET.
    const store = await S3BlobStore.open(config.s3);
    log.info(
      { bucket: config.s3.bucket, endpoint: config.s3.endpoint ?? 'aws', region: config.s3.region },
      'file bytes are stored in S3',
    );
    return store;
  }
  return new LocalBlobStore(config.dataDir);
}
