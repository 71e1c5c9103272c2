#!/usr/bin/env node
// Builds the protocol package, the server and the web app when their output is missing or older
// than their sources, so `npm start` builds once and starts fast afterwards.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    const time = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

function outputTime(file) {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : -1;
}

const protocolSrc = newestMtime(path.join(root, 'packages/protocol/src'));
// tsc -b leaves unchanged outputs untouched, so a stamp written after each build tells when it last ran.
const serverStamp = path.join(root, 'backend/dist/.built');
const serverStale =
  outputTime(serverStamp) < Math.max(newestMtime(path.join(root, 'backend/src')), protocolSrc);
const webStale =
  outputTime(path.join(root, 'frontend/dist/index.html')) <
  Math.max(
    newestMtime(path.join(root, 'frontend/src')),
    // Copied into dist as they are (the service worker and its push handlers, icons).
    newestMtime(path.join(root, 'frontend/public')),
    protocolSrc,
    outputTime(path.join(root, 'frontend/index.html')),
  );

if (serverStale) {
  console.log('Building the server…');
  execSync('npx tsc -b backend', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(serverStamp, new Date().toISOString());
}
if (webStale) {
  console.log('Building the web app…');
  // A caller's NODE_ENV (vitest sets `test`) must not turn this into a development bundle.
  execSync('npm run build --workspace @parley/frontend', {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
