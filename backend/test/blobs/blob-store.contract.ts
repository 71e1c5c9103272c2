/**
 * The blob store contract: what every BlobStore (local disk embedded, S3 scaled out) must do.
 * Each store's test file runs this same suite against a real store.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlobStore, BlobTooLargeError } from '../../src/core/ports/blob-store.js';

export interface BlobStoreTarget {
  name: string;
  /** A store with nothing in it yet (as far as the keys of one test run go). */
  open(): Promise<BlobStore>;
  /** Called once after the suite. */
  close?(): Promise<void>;
}

const MiB = 1024 * 1024;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A stream of `bytes` in uneven chunks, as a network upload arrives. */
function streamOf(bytes: Buffer, chunkSize = 64 * 1024 + 7): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= bytes.length) {
        this.push(null);
        return;
      }
      this.push(bytes.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A folder of its own for each test, so listings of one test never see another's keys. */
let folders = 0;
const newFolder = () => `contract-${process.pid}-${Date.now().toString(36)}-${++folders}`;

export function describeBlobStoreContract(target: BlobStoreTarget): void {
  describe(`BlobStore contract: ${target.name}`, () => {
    let store: BlobStore;

    beforeAll(async () => {
      store = await target.open();
    });
    afterAll(async () => {
      await target.close?.();
    });

    /** Whether anything at all is stored under key. */
    const isStored = async (key: string) => (await store.head(key, 1)) !== undefined;

    it('1. round-trips a Buffer with its size and sha256', async () => {
      const key = `${newFolder()}/buffer.bin`;
      const bytes = randomBytes(10_000);
      expect(await store.put(key, bytes)).toEqual({ size: bytes.length, sha256: sha256(bytes) });
      const body = await store.get(key);
      expect(body).toBeDefined();
      expect((await readAll(body as Readable)).equals(bytes)).toBe(true);
    });

    it('2. round-trips a stream, and one of several MiB that needs a multipart upload', async () => {
      for (const size of [300_001, 12 * MiB + 3]) {
        const key = `${newFolder()}/stream-${size}.bin`;
        const bytes = randomBytes(size);
        expect(await store.put(key, streamOf(bytes))).toEqual({ size, sha256: sha256(bytes) });
        const stored = await readAll((await store.get(key)) as Readable);
        expect(stored.length).toBe(size);
        expect(sha256(stored)).toBe(sha256(bytes));
      }
    });

    it('3. stores an empty blob', async () => {
      const key = `${newFolder()}/empty.bin`;
      expect(await store.put(key, Buffer.alloc(0))).toEqual({ size: 0, sha256: sha256(Buffer.alloc(0)) });
      // Read back whole: s3rver answers a ranged read of an empty object with a broken response
      // (S3 itself answers 416, which the S3 store reads as empty). Uploads never keep empty
      // blobs anyway (file-upload.ts deletes them), so no job ever sniffs one.
      expect((await readAll((await store.get(key)) as Readable)).length).toBe(0);
    });

    it('4. accepts exactly maxBytes and refuses one byte more, keeping nothing', async () => {
      const folder = newFolder();
      const limit = 100_000;
      const exact = randomBytes(limit);
      expect((await store.put(`${folder}/exact.bin`, streamOf(exact), { maxBytes: limit })).size).toBe(limit);
      expect(await isStored(`${folder}/exact.bin`)).toBe(true);

      const over = `${folder}/over.bin`;
      await expect(store.put(over, streamOf(randomBytes(limit + 1)), { maxBytes: limit })).rejects.toThrow(
        BlobTooLargeError,
      );
      await expect(store.put(over, randomBytes(limit + 1), { maxBytes: limit })).rejects.toThrow(
        BlobTooLargeError,
      );
      expect(await store.get(over)).toBeUndefined();
      expect(await store.listOlderThan(folder, new Date(Date.now() + 3600_000), 10)).toEqual([
        `${folder}/exact.bin`,
      ]);
    });

    it('5. refuses a multi-MiB stream over maxBytes after parts were sent, keeping nothing', async () => {
      const key = `${newFolder()}/big-over.bin`;
      await expect(store.put(key, streamOf(randomBytes(13 * MiB)), { maxBytes: 11 * MiB })).rejects.toThrow(
        BlobTooLargeError,
      );
      expect(await store.get(key)).toBeUndefined();
    });

    it('6. keeps nothing when the source fails mid-way (a client that went away)', async () => {
      const key = `${newFolder()}/broken.bin`;
      let sent = 0;
      const broken = new Readable({
        read() {
          sent += 1;
          if (sent > 20) this.destroy(new Error('connection reset'));
          else this.push(randomBytes(64 * 1024));
        },
      });
      await expect(store.put(key, broken)).rejects.toThrow('connection reset');
      expect(await store.get(key)).toBeUndefined();
    });

    it('7. reads the first n bytes, or all of a shorter blob', async () => {
      const key = `${newFolder()}/head.bin`;
      const bytes = randomBytes(10_000);
      await store.put(key, bytes);
      expect((await store.head(key, 4100))?.equals(bytes.subarray(0, 4100))).toBe(true);
      expect((await store.head(key, 20_000))?.equals(bytes)).toBe(true);
      expect(await store.head(`${newFolder()}/missing.bin`, 10)).toBeUndefined();
    });

    it('8. answers undefined for a key that was never stored', async () => {
      expect(await store.get(`${newFolder()}/missing.bin`)).toBeUndefined();
    });

    it('9. deletes, and deleting a missing key is not an error', async () => {
      const key = `${newFolder()}/doomed.bin`;
      await store.put(key, Buffer.from('bye'));
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
      await store.delete(key);
    });

    it('10. overwrites a key with new bytes', async () => {
      const key = `${newFolder()}/twice.bin`;
      await store.put(key, Buffer.from('first'));
      await store.put(key, Buffer.from('second'));
      expect((await readAll((await store.get(key)) as Readable)).toString()).toBe('second');
    });

    it('11. lists keys under a prefix (its sub-folders too) written before a time, at most limit of them', async () => {
      const folder = newFolder();
      const other = newFolder();
      await store.put(`${folder}/a`, Buffer.from('a'));
      await store.put(`${folder}/sub/b`, Buffer.from('b'));
      await store.put(`${other}/c`, Buffer.from('c'));
      // Storage may keep write times to the second (S3 does): stay clear of both sides of `cut`.
      await sleep(1100);
      const cut = new Date();
      await sleep(1100);
      await store.put(`${folder}/late`, Buffer.from('late'));

      expect((await store.listOlderThan(`${folder}/`, cut, 10)).sort()).toEqual([
        `${folder}/a`,
        `${folder}/sub/b`,
      ]);
      expect(await store.listOlderThan(folder, new Date(Date.now() - 3600_000), 10)).toEqual([]);
      const everything = await store.listOlderThan(folder, new Date(Date.now() + 3600_000), 10);
      expect(everything.sort()).toEqual([`${folder}/a`, `${folder}/late`, `${folder}/sub/b`]);
      const limited = await store.listOlderThan(folder, new Date(Date.now() + 3600_000), 2);
      expect(limited).toHaveLength(2);
      expect(everything).toEqual(expect.arrayContaining(limited));
      expect(await store.listOlderThan(newFolder(), new Date(Date.now() + 3600_000), 10)).toEqual([]);
    });

    it('12. refuses keys and prefixes that could leave their place', async () => {
      await expect(store.put('../escape', Buffer.from('x'))).rejects.toThrow(/unsafe/);
      await expect(store.get('files/../../etc/passwd')).rejects.toThrow(/unsafe/);
      await expect(store.listOlderThan('../', new Date(), 1)).rejects.toThrow(/unsafe/);
    });
  });
}
