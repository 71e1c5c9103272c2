/**
 * The scaled-out topology under test: `scripts/cluster/start-cluster.mjs` (the project's own
 * `npm run start:cluster`), used as a black box. It is spawned with the bench's limits, waited
 * for until it prints its ready line, described by the DATA_DIR/cluster.json it writes (each
 * process's role, pid and ports), and stopped with SIGTERM (it drains the instances and stops
 * nginx, Redis, s3rver and PostgreSQL itself).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, repoRoot, stopProcess } from './processes.js';

const script = path.join(repoRoot, 'scripts/cluster/start-cluster.mjs');
const READY_LINE = 'Parley cluster ready';

export interface ClusterProcess {
  role: string;
  name: string;
  pid: number;
  ports: Record<string, number>;
}

export interface RunningCluster {
  /** Through nginx: REST and /ws. */
  origin: string;
  databaseUrl: string;
  instances: (ClusterProcess & { wsUrl: string; origin: string })[];
  balancer: ClusterProcess;
  redis: ClusterProcess;
  /** The postmaster (its backends are its children). */
  postgres: ClusterProcess;
  /** Seconds from spawn to the ready line. */
  startSeconds: number;
  stop(): Promise<void>;
}

/** The services `start-cluster.mjs` needs (where it looks for them), missing ones named. */
export function missingClusterServices(): string[] {
  const found = (name: string, dirs: string[]) =>
    [...(process.env.PATH ?? '').split(path.delimiter), ...dirs].some(
      (dir) => dir && fs.existsSync(path.join(dir, name)),
    );
  const wanted: [string, string[]][] = [
    ['redis-server', ['/usr/bin', '/usr/local/bin']],
    ['nginx', ['/usr/sbin']],
    ['postgres', ['/usr/local/bin']],
    ['pg_ctl', ['/usr/local/bin']],
    ['initdb', ['/usr/local/bin']],
  ];
  return wanted.filter(([name, dirs]) => !found(name, dirs)).map(([name]) => name);
}

interface ClusterFile {
  ready: boolean;
  httpUrl: string;
  databaseUrl: string;
  processes: (ClusterProcess & { pid: number | null })[];
}

export async function startCluster(options: {
  dataDir: string;
  instances: number;
  log: (line: string) => void;
  timeoutMs?: number;
}): Promise<RunningCluster> {
  const started = performance.now();
  const httpPort = await freePort();
  const wsPort = await freePort();
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: repoRoot,
    // Passed on to every instance as is (start-cluster only overrides ports, HOST and DATA_DIR).
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      WS_PORT: String(wsPort),
      DATA_DIR: options.dataDir,
      PARLEY_CLUSTER_INSTANCES: String(options.instances),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_SENDS_PER_MINUTE: '0',
      LOGIN_MAX_FAILURES: '0',
      REGISTRATIONS_PER_HOUR_PER_ADDRESS: '0',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Kept for the error message: what the script said before it failed.
  const said: string[] = [];
  const remember = (chunk: Buffer) => {
    said.push(...chunk.toString().split('\n').filter(Boolean));
    said.splice(0, Math.max(0, said.length - 60));
  };
  child.stderr?.on('data', remember);
  const ready = new Promise<void>((resolve, reject) => {
    let tail = ''; // the line may arrive in two chunks
    child.stdout?.on('data', (chunk: Buffer) => {
      remember(chunk);
      const text = tail + chunk.toString();
      if (text.includes(READY_LINE)) resolve();
      tail = text.slice(-READY_LINE.length);
    });
    child.once('exit', (code) =>
      reject(new Error(`start-cluster exited with ${code} while starting:\n${said.join('\n')}`)),
    );
    setTimeout(
      () =>
        reject(
          new Error(`start-cluster not ready in ${options.timeoutMs ?? 180_000} ms:\n${said.join('\n')}`),
        ),
      options.timeoutMs ?? 180_000,
    ).unref();
  });
  const stop = () => stopProcess(child, 90_000);
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  const startSeconds = (performance.now() - started) / 1000;

  const file = JSON.parse(fs.readFileSync(path.join(options.dataDir, 'cluster.json'), 'utf8')) as ClusterFile;
  const byRole = (role: string) => file.processes.filter((p) => p.role === role && p.pid) as ClusterProcess[];
  const one = (role: string) => {
    const found = byRole(role)[0];
    if (!found) throw new Error(`cluster.json names no running ${role}`);
    return found;
  };
  try {
    const instances = byRole('instance').map((p) => ({
      ...p,
      wsUrl: `ws://127.0.0.1:${p.ports.ws}/`,
      origin: `http://127.0.0.1:${p.ports.http}`,
    }));
    if (instances.length !== options.instances)
      throw new Error(`cluster.json names ${instances.length} instances, ${options.instances} wanted`);
    options.log(
      `  cluster up in ${startSeconds.toFixed(1)} s: ${instances.map((i) => `${i.name} pid ${i.pid}`).join(', ')}`,
    );
    return {
      origin: file.httpUrl,
      databaseUrl: file.databaseUrl,
      instances,
      balancer: one('balancer'),
      redis: one('redis'),
      postgres: one('postgres'),
      startSeconds,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
