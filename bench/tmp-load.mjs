import { Pool } from 'undici';
const [origin, token, roomId, seconds, conns] = process.argv.slice(2);
const pool = new Pool(origin, { connections: Number(conns), pipelining: 1 });
const body = JSON.stringify({ type: 'message', roomId, text: 'ingest' });
let ok = 0, bad = 0; const deadline = performance.now() + Number(seconds) * 1000;
const lane = async () => { while (performance.now() < deadline) {
  const res = await pool.request({ method: 'POST', path: '/jobs', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  await res.body.arrayBuffer(); if (res.statusCode === 202) ok++; else bad++; } };
await Promise.all(Array.from({ length: Number(conns) }, lane));
console.log('ok/s', ok / Number(seconds), 'bad', bad); await pool.close();
