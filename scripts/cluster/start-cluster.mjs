#!/usr/bin/env node
/**
 * `npm run start:cluster`: the scaled-out topology on one machine. PostgreSQL 15, Redis, an
 * S3-compatible server (s3rver), PARLEY_CLUSTER_INSTANCES Parley instances (3) and nginx in
 * front on HTTP_PORT / WS_PORT, every service on free ports of its own and all data under
 * DATA_DIR. It takes the same variables as `npm start` and passes them all to the instances
 * (DATABASE_URL, REDIS_URL, S3_* and each instance's HTTP_PORT, WS_PORT, HOST and DATA_DIR are
 * the cluster's own). DATA_DIR/cluster.json names every process with its role, pid and ports.
 *
 * Ctrl+C or SIGTERM stops the instances (SIGTERM: they drain), then nginx, Redis, s3rver and
 * PostgreSQL (`pg_ctl -m fast stop`). A second signal kills what is left at once.
 *
 * Control on stdin, one command a line (tests use it for faults; typing works as well):
 *   [id] stop|start|kill <name> [SIGNAL]     e.g. `stop redis`, `start instance-2`
 *   [id] status
 * Each command is answered on stdout by `@control <id> {"ok":…}`.
 *
 * Variables of its own: PARLEY_CLUSTER_INSTANCES (3), PARLEY_CLUSTER_FROM_SOURCE=1 (run the
 * instances from backend/src with tsx instead of building dist/, as the tests do),
 * PARLEY_CLUSTER_PG_FSYNC=0 (PostgreSQL without fsync: throwaway test data only),
 * S3_BUCKET (the bucket s3rver creates; `parley`).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../free-ports.mjs';
import { writeNginxConfig } from './balancer.mjs';
import { findBinary, Postgres } from './postgres.mjs';
import {
  httpAnswers,
  ManagedProcess,
  portAnswers,
  redisAnswers,
  sleep,
  tailOf,
  waitUntil,
} from './processes.mjs';

const SCRIPT_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(SCRIPT_DIR, '../..');
const BACKEND = path.join(ROOT, 'backend');
const env = process.env;

const settings = {
  httpPort: Number(env.HTTP_PORT ?? 3000),
  wsPort: Number(env.WS_PORT ?? 8080),
  host: env.HOST ?? '0.0.0.0',
  // Relative to backend/, as under `npm start`; the default sits in backend/data (git-ignored).
  dataDir: path.resolve(BACKEND, env.DATA_DIR ?? './data/cluster'),
  instances: Number(env.PARLEY_CLUSTER_INSTANCES ?? 3),
  fromSource: env.PARLEY_CLUSTER_FROM_SOURCE === '1',
  bucket: env.S3_BUCKET ?? 'parley',
};
for (const [name, value] of Object.entries({
  HTTP_PORT: settings.httpPort,
  WS_PORT: settings.wsPort,
  PARLEY_CLUSTER_INSTANCES: settings.instances,
})) {
  if (!Number.isInteger(value) || value < 1 || value > 65535) fail(`${name} must be a positive whole number`);
}

const logDir = path.join(settings.dataDir, 'logs');
const clusterFile = path.join(settings.dataDir, 'cluster.json');
const publicHost = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;

/** @type {ManagedProcess[]} */
const instances = [];
/** @type {ManagedProcess | undefined} */
let balancer;
/** @type {ManagedProcess | undefined} */
let redis;
/** @type {ManagedProcess | undefined} */
let s3;
/** @type {Postgres | undefined} */
let postgres;
let phase = 'starting';
/** The first process that died while the cluster was starting. */
let startFailure;
let watchdog;

function say(line) {
  process.stdout.write(`cluster: ${line}\n`);
}

function fail(message) {
  process.stderr.write(`start-cluster: ${message}\n`);
  process.exit(2);
}

function services() {
  return [balancer, ...instances, redis, s3].filter(Boolean);
}

function writeClusterFile() {
  const entry = (proc) => ({
    role: proc.role,
    name: proc.name,
    pid: proc.pid ?? null,
    port: Object.values(proc.ports)[0],
    ports: proc.ports,
    running: proc.running,
    log: path.join(logDir, `${proc.name}.log`),
  });
  const file = {
    ready: phase === 'running',
    startedAt: new Date().toISOString(),
    dataDir: settings.dataDir,
    supervisorPid: process.pid,
    httpUrl: `http://${publicHost}:${settings.httpPort}`,
    wsUrl: `ws://${publicHost}:${settings.httpPort}/ws`,
    wsPortUrl: `ws://${publicHost}:${settings.wsPort}/`,
    databaseUrl: postgres?.url,
    redisUrl: redis ? `redis://127.0.0.1:${redis.ports.port}` : undefined,
    s3Endpoint: s3 ? `http://127.0.0.1:${s3.ports.port}` : undefined,
    s3Bucket: settings.bucket,
    processes: [...(postgres ? [postgres] : []), ...services()].map(entry),
  };
  fs.writeFileSync(`${clusterFile}.tmp`, `${JSON.stringify(file, null, 2)}\n`);
  fs.renameSync(`${clusterFile}.tmp`, clusterFile);
}

function onUnexpectedExit(proc, status) {
  const how = status.signal ? `signal ${status.signal}` : `code ${status.code}`;
  if (phase === 'starting') {
    startFailure ??= proc;
    return;
  }
  if (phase === 'running') {
    say(`${proc.name} exited unexpectedly (${how}); type "start ${proc.name}" to start it again`);
    writeClusterFile();
  }
}

function managed(spec) {
  const proc = new ManagedProcess({ ...spec, logFile: path.join(logDir, `${spec.name}.log`) });
  proc.onUnexpectedExit = onUnexpectedExit;
  return proc;
}

/** Waits for `probe`, giving up as soon as any process died during the start. */
function waitFor(what, probe, timeoutMs = 90_000) {
  return waitUntil(what, probe, { timeoutMs, gaveUp: () => startFailure !== undefined });
}

function instanceEnv(index, ports, shared) {
  return {
    ...env,
    ...shared,
    HOST: '127.0.0.1',
    HTTP_PORT: String(ports.http),
    WS_PORT: String(ports.ws),
    DATA_DIR: path.join(settings.dataDir, `instance-${index + 1}`),
  };
}

async function startInstance(proc) {
  proc.start();
  await waitFor(`${proc.name} (/healthz)`, httpAnswers(`http://127.0.0.1:${proc.ports.http}/healthz`));
}

async function start() {
  fs.mkdirSync(logDir, { recursive: true });
  if (process.getuid?.() === 0) {
    // PostgreSQL runs as `postgres` and must reach DATA_DIR/postgres (mkdtemp makes 0700 dirs).
    fs.chmodSync(settings.dataDir, fs.statSync(settings.dataDir).mode | 0o011);
  }
  if (fs.existsSync(clusterFile)) {
    const previous = JSON.parse(fs.readFileSync(clusterFile, 'utf8'));
    const alive = (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (previous.supervisorPid && alive(previous.supervisorPid)) {
      throw new Error(`another start-cluster (pid ${previous.supervisorPid}) uses ${settings.dataDir}`);
    }
  }
  watchdog = spawn(
    process.execPath,
    [path.join(SCRIPT_DIR, 'watchdog.mjs'), String(process.pid), settings.dataDir],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  watchdog.unref();

  const nginx = findBinary('nginx', ['/usr/sbin']);
  const redisServer = findBinary('redis-server', ['/usr/bin', '/usr/local/bin']);
  if (!nginx) throw new Error('nginx is needed (apt-get install -y nginx)');
  if (!redisServer) throw new Error('redis-server is needed (apt-get install -y redis-server)');

  if (!settings.fromSource) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-if-needed.mjs')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }

  const [pgPort, redisPort, s3Port, ...instancePorts] = await freePorts(3 + 2 * settings.instances, {
    avoid: [settings.httpPort, settings.wsPort],
  });
  postgres = new Postgres({
    dir: path.join(settings.dataDir, 'postgres'),
    logFile: path.join(logDir, 'postgres.log'),
    port: pgPort,
    database: 'parley',
  });
  const initialised = await postgres.initIfNeeded();
  say(
    initialised
      ? 'initialised PostgreSQL in DATA_DIR/postgres'
      : 'reusing PostgreSQL data in DATA_DIR/postgres',
  );

  fs.mkdirSync(path.join(settings.dataDir, 'redis'), { recursive: true });
  redis = managed({
    name: 'redis',
    role: 'redis',
    command: redisServer,
    args: [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      path.join(settings.dataDir, 'redis'),
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    ports: { port: redisPort },
  });
  s3 = managed({
    name: 's3',
    role: 's3',
    command: process.execPath,
    args: [
      path.join(SCRIPT_DIR, 's3-server.mjs'),
      String(s3Port),
      path.join(settings.dataDir, 's3'),
      settings.bucket,
    ],
    cwd: BACKEND,
    ports: { port: s3Port },
  });
  redis.start();
  s3.start();
  writeClusterFile();
  await postgres.start();
  writeClusterFile();
  const require = createRequire(path.join(BACKEND, 'package.json'));
  await postgres.ensureDatabase(require('pg'));
  await waitFor('redis', redisAnswers(redisPort));
  await waitFor('s3rver', () => portAnswers(s3Port));

  const shared = {
    DATABASE_URL: postgres.url,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    S3_BUCKET: settings.bucket,
    S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: '1',
  };
  const command = settings.fromSource
    ? ['--conditions=source', '--import', 'tsx', 'src/main.ts']
    : [path.join(BACKEND, 'dist/main.js')];
  for (let index = 0; index < settings.instances; index += 1) {
    const ports = { http: instancePorts[2 * index], ws: instancePorts[2 * index + 1] };
    instances.push(
      managed({
        name: `instance-${index + 1}`,
        role: 'instance',
        command: process.execPath,
        args: command,
        cwd: BACKEND,
        env: instanceEnv(index, ports, shared),
        ports,
      }),
    );
  }
  // The first instance runs the migrations; the others start together once it is up.
  const [first, ...others] = instances;
  await startInstance(first);
  writeClusterFile();
  await Promise.all(others.map(startInstance));
  writeClusterFile();

  const nginxCommand = writeNginxConfig({
    dir: path.join(settings.dataDir, 'balancer'),
    logDir,
    host: settings.host,
    httpPort: settings.httpPort,
    wsPort: settings.wsPort,
    instancePorts: instances.map((proc) => proc.ports.http),
  });
  balancer = managed({
    name: 'balancer',
    role: 'balancer',
    command: nginx,
    args: nginxCommand.args,
    ports: { http: settings.httpPort, ws: settings.wsPort },
  });
  balancer.start();
  writeClusterFile();
  await waitFor('the balancer (/readyz)', httpAnswers(`http://127.0.0.1:${settings.httpPort}/readyz`));
  if (startFailure) throw new Error(`${startFailure.name} exited`);
  phase = 'running';
  writeClusterFile();
}

async function stopAll() {
  await Promise.all(instances.map((proc) => proc.stop('SIGTERM', 25_000)));
  await balancer?.stop('SIGTERM', 5_000);
  await redis?.stop('SIGTERM', 5_000);
  await s3?.stop('SIGTERM', 5_000);
  await postgres?.stop('fast');
}

function killAllNow() {
  for (const proc of services()) {
    if (proc.running) proc.child?.kill('SIGKILL');
  }
  postgres?.stopNowSync();
}

async function shutdown(signal) {
  if (phase === 'stopping') {
    say(`${signal} again: killing what is left`);
    killAllNow();
    process.exit(1);
  }
  const wasStarting = phase === 'starting';
  phase = 'stopping';
  say(`${signal}: stopping the instances, then nginx, Redis, s3rver and PostgreSQL`);
  await stopAll();
  fs.rmSync(clusterFile, { force: true });
  watchdog?.kill();
  say('stopped');
  process.exit(wasStarting ? 1 : 0);
}

// ---------- control on stdin ----------

function findProcess(name) {
  if (name === 'postgres') return postgres;
  return services().find((proc) => proc.name === name);
}

async function control(words) {
  const [verb, name, signal] = words;
  if (verb === 'status') {
    writeClusterFile();
    return { processes: JSON.parse(fs.readFileSync(clusterFile, 'utf8')).processes };
  }
  const target = name ? findProcess(name) : undefined;
  if (!target) throw new Error(`no process named ${name ?? '(none)'}`);
  if (verb === 'stop' || verb === 'kill') {
    if (target === postgres) await postgres.stop(verb === 'kill' ? 'immediate' : 'fast');
    else await target.stop(verb === 'kill' ? (signal ?? 'SIGKILL') : 'SIGTERM', 25_000);
  } else if (verb === 'start') {
    if (target === postgres) {
      await postgres.start();
    } else {
      target.start();
      const probe =
        target.role === 'instance'
          ? httpAnswers(`http://127.0.0.1:${target.ports.http}/healthz`)
          : target.role === 'redis'
            ? redisAnswers(target.ports.port)
            : () => portAnswers(Object.values(target.ports)[0]);
      await waitUntil(`${target.name}`, probe, { timeoutMs: 60_000, gaveUp: () => !target.running });
    }
  } else {
    throw new Error(`unknown command ${verb}`);
  }
  writeClusterFile();
  return { pid: target.pid ?? null };
}

function listenForCommands() {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return;
    // An optional leading id (anything that is not a verb) is echoed in the answer.
    const id = ['stop', 'start', 'kill', 'status'].includes(words[0]) ? '-' : words.shift();
    control(words).then(
      (result) => process.stdout.write(`@control ${id} ${JSON.stringify({ ok: true, ...result })}\n`),
      (error) =>
        process.stdout.write(
          `@control ${id} ${JSON.stringify({ ok: false, error: String(error.message ?? error) })}\n`,
        ),
    );
  });
  lines.on('close', () => {}); // no stdin (a service manager): keep running
}

// A PostgreSQL server is not our child: watch its postmaster.
setInterval(() => {
  if (phase === 'running' && postgres && !postgres.expectingStop && !postgres.running) {
    postgres.expectingStop = true;
    say('postgres stopped unexpectedly; type "start postgres" to start it again');
    writeClusterFile();
  }
}, 1_000).unref();

// A test runner that reads our output may be gone before we are: never die of EPIPE.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(signal));
process.on('exit', () => {
  if (phase !== 'stopping') killAllNow();
});

try {
  await start();
} catch (error) {
  const culprit = startFailure;
  process.stderr.write(`start-cluster: the cluster did not start: ${error.message}\n`);
  if (culprit) {
    process.stderr.write(
      `----- last lines of ${path.join(logDir, `${culprit.name}.log`)} -----\n${culprit.tail(60)}\n`,
    );
  } else if (postgres && String(error.message).includes('pg_ctl')) {
    process.stderr.write(`----- last lines of ${postgres.logFile} -----\n${tailOf(postgres.logFile, 40)}\n`);
  }
  phase = 'stopping';
  await stopAll();
  fs.rmSync(clusterFile, { force: true });
  watchdog?.kill();
  process.exit(1);
}
listenForCommands();
say(
  `Parley cluster ready: http://${publicHost === '127.0.0.1' && settings.host !== '127.0.0.1' ? 'localhost' : publicHost}:${settings.httpPort} ` +
    `(web app, REST, /ws) and ws://…:${settings.wsPort}/ via nginx over ${settings.instances} instances; ` +
    `PostgreSQL :${postgres.port}, Redis :${redis.ports.port}, S3 :${s3.ports.port}; ` +
    `data and logs in ${settings.dataDir}; Ctrl+C stops it`,
);
// Keeps the process alive while the children run.
setInterval(() => {}, 1 << 30);
await sleep(0);
