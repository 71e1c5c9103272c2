/**
 * Uploads as hostile input: what a photo says about where and with what it was taken is not
 * served to others; a picture too big to decode is not decoded; a file that is two things at
 * once is served as what its bytes start as.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Job, Message, Room } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createRoom,
  expectStatus,
  generalRoom,
  register,
  request,
  uniqueName,
  waitForCompletion,
} from '../support/client.js';
import { makePng } from '../support/files.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let alice: Account;
let general: Room;

beforeAll(async () => {
  server = await startServer({ env: { RATE_LIMIT_SENDS_PER_MINUTE: '0' } });
  alice = await register(server, uniqueName('alice'));
  general = await generalRoom(alice);
});
afterAll(() => server?.dispose());

async function upload(fileName: string, contentType: string, bytes: Buffer): Promise<Message> {
  const response = await alice.api.post<{ job: Job }>('/jobs', {
    type: 'file',
    roomId: general.id,
    fileName,
    contentType,
    data: bytes.toString('base64'),
  });
  const job = expectStatus(response, 202, `POST /jobs ${fileName}`).body.job;
  const done = await waitForCompletion(alice, job.id);
  const page = await alice.api.get<{ messages: Message[] }>(
    `/rooms/${general.id}/messages?after=${done.result.seq - 1}&limit=1`,
  );
  const message = page.body.messages[0];
  if (!message?.attachment) throw new Error(`no attachment on the message of ${fileName}`);
  return message;
}

async function download(url: string): Promise<{ response: Response; bytes: Buffer }> {
  const response = await fetch(new URL(url, server.httpUrl), {
    headers: { authorization: `Bearer ${alice.token}` },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('photos', () => {
  it('serves a photo without its EXIF (GPS, camera), upright, the same picture', async () => {
    const photo = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#c33' } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'SpyPhone', Model: 'X1', Copyright: 'Alice Secret' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '51/1 30/1 0/1',
          GPSLongitudeRef: 'W',
          GPSLongitude: '0/1 7/1 0/1',
        },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const uploaded = await sharp(photo).metadata();
    expect(uploaded.exif?.includes(Buffer.from('SpyPhone'))).toBe(true);

    const message = await upload('holiday.jpg', 'image/jpeg', photo);
    // Orientation 6 turns it a quarter: as shown, it is 32 wide and 64 high.
    expect(message.attachment).toMatchObject({ width: 32, height: 64, contentType: 'image/jpeg' });
    const { response, bytes } = await download(message.attachment?.url as string);
    expect(response.status).toBe(200);
    expect(message.attachment?.size).toBe(bytes.length);
    const served = await sharp(bytes).metadata();
    expect(served.exif).toBeUndefined();
    expect(served.xmp).toBeUndefined();
    expect(served.iptc).toBeUndefined();
    expect(bytes.includes(Buffer.from('SpyPhone'))).toBe(false);
    expect(bytes.includes(Buffer.from('Alice Secret'))).toBe(false);
    expect([served.width, served.height, served.orientation ?? 1]).toEqual([32, 64, 1]);
  });

  it('serves a picture that carries no metadata byte for byte as it came', async () => {
    const png = makePng(40, 20);
    const message = await upload('plain.png', 'image/png', png);
    const { bytes } = await download(message.attachment?.url as string);
    expect(bytes.equals(png)).toBe(true);
    expect(message.attachment).toMatchObject({ width: 40, height: 20, size: png.length });
  });
});

describe('uploads to rooms one may not post in', () => {
  it('stores not a byte of a stranger’s upload to a private room', async () => {
    const owner = await register(server, uniqueName('owner'));
    const secret = await createRoom(owner, { name: `Secret ${uniqueName('s')}`, visibility: 'private' });
    const before = storedFiles();
    const form = new FormData();
    form.set('type', 'file');
    form.set('roomId', secret.id);
    form.set('file', new Blob([Buffer.alloc(2 * 1024 * 1024, 7)]), 'big.bin');
    const response = await alice.api.request('/jobs', { method: 'POST', body: form });
    expect(response.status).toBe(404);
    expect(storedFiles()).toEqual(before);
  });
});

/** Every blob under DATA_DIR/blobs (uploads and their temporary files). */
function storedFiles(): string[] {
  const root = path.join(server.dataDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((entry) => fs.statSync(path.join(root, entry)).isFile())
    .sort();
}

describe('hostile pictures', () => {
  it('does not decode a picture that claims more pixels than allowed (a decompression bomb)', async () => {
    const bomb = pngClaiming(50_000, 50_000);
    const message = await upload('bomb.png', 'image/png', bomb);
    expect(message.attachment?.width ?? null).toBeNull();
    expect(message.attachment?.thumbnailUrl ?? null).toBeNull();
    expect((await request(server, '/readyz')).status).toBe(200);
  });

  it('serves a file that is a GIF and HTML at once as the GIF its bytes start as', async () => {
    const polyglot = Buffer.concat([
      Buffer.from('GIF89a'),
      Buffer.from([1, 0, 1, 0, 0, 0, 0]),
      Buffer.from('<html><script>alert(document.cookie)</script></html>'),
    ]);
    const message = await upload('page.html', 'text/html', polyglot);
    const { response } = await download(message.attachment?.url as string);
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

/** A PNG whose header claims width x height, with a tiny (invalid) body: never decodable. */
function pngClaiming(width: number, height: number): Buffer {
  const png = makePng(1, 1);
  // IHDR data starts at byte 16: width and height, big-endian.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}
