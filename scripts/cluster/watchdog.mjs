#!/usr/bin/env node
/**
 * Started detached by start-cluster.mjs: once that script is gone without having stopped the
 * cluster (kill -9, a crashed test runner), it kills every process DATA_DIR/cluster.json still
 * names and stops PostgreSQL, so nothing is left holding ports or the data directory.
 *
 *   node scripts/cluster/watchdog.mjs <pid of start-cluster> <DATA_DIR>
 */
import fs from 'node:fs';
import path from 'node:path';
import { Postgres } from './postgres.mjs';
import { isAlive, sleep } from './processes.mjs';

const [parentPid, dataDir] = process.argv.slice(2);
const clusterFile = path.join(dataDir, 'cluster.json');

while (isAlive(Number(parentPid))) await sleep(1_000);

let cluster;
try {
  cluster = JSON.parse(fs.readFileSync(clusterFile, 'utf8'));
} catch {
  process.exit(0); // stopped cleanly (the file is removed), or it never got that far
}
for (const entry of cluster.processes ?? []) {
  if (entry.role === 'postgres' || !entry.pid) continue;
  try {
    process.kill(-entry.pid, 'SIGKILL'); // its process group: runuser, node and their children
  } catch {
    try {
      process.kill(entry.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
const postgres = new Postgres({
  dir: path.join(dataDir, 'postgres'),
  logFile: path.join(dataDir, 'logs', 'postgres.log'),
  port: 0,
  database: 'parley',
});
if (postgres.running) postgres.stopNowSync();
fs.rmSync(clusterFile, { force: true });
