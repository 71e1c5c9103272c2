#!/usr/bin/env node
/**
 * An S3-compatible server for the cluster on one machine: s3rver (a backend devDependency) on
 * 127.0.0.1, its objects under the given directory (kept across restarts), the bucket created
 * when missing. Credentials are s3rver's fixed `S3RVER` / `S3RVER`.
 *
 *   node scripts/cluster/s3-server.mjs <port> <directory> <bucket>
 */
import fs from 'node:fs';
import S3rver from 's3rver';

const [port, directory, bucket] = process.argv.slice(2);
if (!port || !directory || !bucket) {
  process.stderr.write('usage: s3-server.mjs <port> <directory> <bucket>\n');
  process.exit(2);
}
fs.mkdirSync(directory, { recursive: true });

const server = new S3rver({
  port: Number(port),
  address: '127.0.0.1',
  directory,
  silent: process.env.LOG_LEVEL !== 'debug' && process.env.LOG_LEVEL !== 'silly',
  resetOnClose: false,
  configureBuckets: [{ name: bucket }],
});
await server.run();
process.stdout.write(`s3rver listening on 127.0.0.1:${port}, bucket ${bucket}, objects in ${directory}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
