import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/free-ports.mjs';
import { REPO_ROOT } from './paths.js';

/** The production server (backend/dist/main.js) serving the built web app on a free port. */
export interface RunningServer {
  /** `http://127.0.0.1:<HTTP_PORT>`, the page origin and the API base. */
  readonly url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;

export async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const [httpPort, wsPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-'));
  const url = `http://127.0.0.1:${httpPort}`;
  const child = spawn(process.execPath, ['backend/dist/main.js'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      WS_PORT: String(wsPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealthy(url, child, exited);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`);
  }
  return { url, output: () => output, stop };
}

async function waitForHealthy(url: string, child: ChildProcess, exited: Promise<number | null>) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (Date.now() < deadline) {
    if (done) throw new Error(`The server exited during start-up (code ${child.exitCode}).`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The server did not answer GET /healthz within ${STARTUP_TIMEOUT_MS / 1000} s.`);
}
