/**
 * Files on local disk under DATA_DIR/blobs. A blob is written to a temporary file, fsynced,
 * then renamed into place, so a crash leaves either the whole blob or none of it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '../../core/ids.js';
import { type BlobStore, BlobTooLargeError, type StoredBlob } from '../../core/ports/blob-store.js';

const SAFE_KEY = /^[a-z0-9-]+(\/[a-zA-Z0-9._-]+)+$/;

export class LocalBlobStore implements BlobStore {
  private readonly root: string;
  private readonly tmp: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'blobs');
    this.tmp = path.join(dataDir, 'blobs', '.tmp');
    // Half-written blobs of a process that died mid-upload: nothing can finish them now.
    fs.rmSync(this.tmp, { recursive: true, force: true });
    fs.mkdirSync(this.tmp, { recursive: true });
  }

  async put(
    key: string,
    source: Readable | Buffer,
    options: { maxBytes?: number } = {},
  ): Promise<StoredBlob> {
    const target = this.pathOf(key);
    const temp = path.join(this.tmp, newId());
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (options.maxBytes !== undefined && size > options.maxBytes) {
          done(new BlobTooLargeError(`over ${options.maxBytes} bytes`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
      await pipeline(input, meter, fs.createWriteStream(temp, { flags: 'wx' }));
      const handle = await fsp.open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.rename(temp, target);
    // The rename itself must survive a power cut too: sync the directory entry.
    const directory = await fsp.open(path.dirname(target), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    return { size, sha256: hash.digest('hex') };
  }

  async get(key: string): Promise<Readable | undefined> {
    try {
      const handle = await fsp.open(this.pathOf(key), 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async head(key: string, length: number): Promise<Buffer | undefined> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.pathOf(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }

  async listOlderThan(prefix: string, before: Date, limit: number): Promise<string[]> {
    const folder = prefix.replace(/\/+$/, '');
    if (!/^[a-z0-9-]+$/.test(folder)) throw new Error(`unsafe blob prefix: ${prefix}`);
    const directory = path.join(this.root, folder);
    let names: string[];
    try {
      // Keys may have folders of their own (avatars/<user>/…).
      names = await fsp.readdir(directory, { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const keys: string[] = [];
    for (const name of names) {
      if (keys.length >= limit) break;
      const stats = await fsp.stat(path.join(directory, name)).catch(() => undefined);
      if (stats?.isFile() && stats.mtime < before) keys.push(`${folder}/${name}`);
    }
    return keys;
  }

  private pathOf(key: string): string {
    // Keys are made by the server, never by clients; refuse anything that could leave the root.
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe blob key: ${key}`);
    return path.join(this.root, key);
  }
}
