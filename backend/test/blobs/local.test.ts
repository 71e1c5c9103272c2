/** The blob store contract on local disk, in a temporary DATA_DIR. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalBlobStore } from '../../src/storage/local-disk/local-blob-store.js';
import { describeBlobStoreContract } from './blob-store.contract.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-blobs-'));

describeBlobStoreContract({
  name: 'local disk',
  open: async () => new LocalBlobStore(dataDir),
  close: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
});
