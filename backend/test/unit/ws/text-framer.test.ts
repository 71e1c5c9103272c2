import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { textFramer } from '../../../src/ws/text-framer.js';

// Every length class of the header: 7-bit, 16-bit and 64-bit payload lengths, at their edges.
const SIZES = [0, 1, 125, 126, 65_535, 65_536, 200_000];
const payloadOf = (size: number) => 'é'.repeat(Math.floor(size / 2)) + 'x'.repeat(size % 2);

describe('textFramer, read by a real WebSocket client', () => {
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  let url = '';

  beforeAll(async () => {
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, () => {
        // Frames written one by one, then two frames in one write, as the hub does.
        for (const size of SIZES) socket.write(textFramer.frame(Buffer.from(payloadOf(size))));
        socket.write(
          Buffer.concat([textFramer.frame(Buffer.from('first')), textFramer.frame(Buffer.from('second'))]),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  it('yields the same text messages, in order, whatever their length', async () => {
    const client = new WebSocket(url);
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on('message', (data, isBinary) => {
        if (isBinary) reject(new Error('a binary frame'));
        received.push(data.toString());
        if (received.length === SIZES.length + 2) resolve();
      });
      client.on('error', reject);
    });
    client.close();
    expect(received).toEqual([...SIZES.map(payloadOf), 'first', 'second']);
  });
});
