/**
 * Baseline: the least a WebSocket broadcast server can do. No auth, no storage: each incoming
 * event is given a seq, encoded once, and written to every other socket.
 */
import { WebSocket, WebSocketServer } from 'ws';

const port = Number(process.argv[2]);
const wss = new WebSocketServer({ port, host: '127.0.0.1', perMessageDeflate: false, backlog: 4096 });
let seq = 0;
wss.on('connection', (ws) => {
  ws.on('error', () => {});
  ws.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString()) as { seq: number };
    event.seq = ++seq;
    const encoded = JSON.stringify({ type: 'event', event });
    for (const client of wss.clients)
      if (client !== ws && client.readyState === WebSocket.OPEN) client.send(encoded);
  });
});
wss.on('listening', () => process.send?.('ready'));
process.on('SIGTERM', () => process.exit(0));
