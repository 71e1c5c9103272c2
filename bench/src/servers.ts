/** The servers under test: Parley's production build and the three baselines. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { forkTs, freePort, httpOk, repoRoot, stopProcess, waitFor } from './processes.js';

export interface RunningServer {
  name: string;
  pid: number;
  stop(): Promise<void>;
}

export interface RunningParley extends RunningServer {
  origin: string;
  wsUrl: string;
}

/** BENCH_PARLEY_MAIN: another build of the server to measure (e.g. an older commit's, for a before/after). */
const mainJs = process.env.BENCH_PARLEY_MAIN ?? path.join(repoRoot, 'backend/dist/main.js');

/** Builds the server when its sources are newer than its output (the project's own script). */
export function ensureBuilt(log: (line: string) => void): void {
  if (process.env.BENCH_SKIP_BUILD === '1' && fs.existsSync(mainJs)) return;
  try {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-if-needed.mjs')], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    // The web app is not needed here; a server build that exists is enough to measure.
    if (!fs.existsSync(mainJs)) throw error;
    log(`warning: build-if-needed failed (${String(error).slice(0, 200)}); using the existing backend/dist`);
  }
}

/** BENCH_PARLEY_NODE_ARGS: extra node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const parleyNodeArgs = (process.env.BENCH_PARLEY_NODE_ARGS ?? '').split(' ').filter(Boolean);

export async function startParley(dataDir: string): Promise<RunningParley> {
  const httpPort = await freePort();
  const wsPort = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...parleyNodeArgs, mainJs], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      WS_PORT: String(wsPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_SENDS_PER_MINUTE: '0',
      LOGIN_MAX_FAILURES: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const origin = `http://127.0.0.1:${httpPort}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`parley exited with ${code} while starting`))),
  );
  exited.catch(() => {});
  try {
    await Promise.race([waitFor(() => httpOk(`${origin}/readyz`), 30_000, 'parley /readyz'), exited]);
  } catch (error) {
    // Not left running: it would hold the bench's stdout open after the bench exits.
    child.kill('SIGKILL');
    throw error;
  }
  return {
    name: 'parley',
    pid: child.pid ?? 0,
    origin,
    wsUrl: `ws://127.0.0.1:${wsPort}/`,
    stop: () => stopProcess(child, 25_000),
  };
}

export type BaselineKind = 'raw' | 'sio' | 'express';

const baselineFiles: Record<BaselineKind, string> = {
  raw: 'baselines/raw-ws-server.ts',
  sio: 'baselines/socketio-server.ts',
  express: 'baselines/express-server.ts',
};

export async function startBaseline(kind: BaselineKind): Promise<RunningServer & { port: number }> {
  const port = await freePort();
  const child = await forkTs(baselineFiles[kind], [String(port)]);
  return { name: kind, pid: child.pid ?? 0, port, stop: () => stopProcess(child, 5_000) };
}
