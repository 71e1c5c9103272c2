/** Baseline: a socket.io broadcast server (WebSocket transport only, no auth, no storage). */
import http from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2]);
const server = http.createServer();
const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
let seq = 0;
io.on('connection', (socket) => {
  socket.on('m', (event: { seq: number }) => {
    event.seq = ++seq;
    socket.broadcast.emit('m', event);
  });
});
server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => process.send?.('ready'));
process.on('SIGTERM', () => process.exit(0));
