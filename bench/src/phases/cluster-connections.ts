/**
 * Idle connections over a cluster: N authenticated sockets, each held until it received `ready`,
 * spread evenly over the instances' own WebSocket ports; the resident memory each instance
 * grew by per socket it holds, and what the balancer and Redis hold meanwhile.
 *
 * The sockets go to the instances directly, not through nginx: one socket through nginx is two
 * of its connections and two open files, and start-cluster's nginx has 16,384
 * worker_connections per worker and 20,000 files per worker (the machine's hard limit), which
 * caps what it can proxy far below 50,000 on this 2-core machine (2 workers). A client process
 * also holds at most 20,000 files, and a source address has ~28,000 ephemeral ports: the
 * sockets are spread over several client processes, each on a loopback address of its own.
 */
import { round } from '../histogram.js';
import type { WsTarget } from '../payload.js';
import { CpuMeter, openFilesOf, rssBytesOf, sleep, treeRssBytesOf, Worker } from '../processes.js';

export interface InstanceSockets {
  name: string;
  pid: number;
  sockets: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  rssPerSocketKiB: number;
  openFiles: number;
}

export interface ClusterConnectionsResult {
  requested: number;
  /** Sockets that received `ready` (authenticated, rooms read) and were still open. */
  ready: number;
  failed: number;
  errors: Record<string, number>;
  connectSeconds: number;
  instances: InstanceSockets[];
  balancerRssBeforeMiB: number;
  balancerRssAfterMiB: number;
  redisRssBeforeMiB: number;
  redisRssAfterMiB: number;
  instancesCpuPercent: number;
  loadGenCpuPercent: number;
}

const mib = (bytes: number) => round(bytes / 2 ** 20, 1);

export async function clusterConnections(options: {
  instances: { name: string; pid: number; wsUrl: string }[];
  balancerPid: number;
  redisPid: number;
  count: number;
  /** One token per socket (at most the server's per-user cap in a row for one account). */
  tokens: string[];
  workers: number;
  sourceAddresses: string[];
  /** Handshakes in flight per client process (somaxconn is 4096 here). */
  concurrency: number;
  settleMs: number;
  log: (line: string) => void;
}): Promise<ClusterConnectionsResult> {
  const workers = Array.from({ length: options.workers }, () => new Worker('ws-clients.ts'));
  const urls = options.instances.map((i) => i.wsUrl);
  try {
    await sleep(options.settleMs);
    const before = options.instances.map((i) => rssBytesOf(i.pid));
    const balancerBefore = treeRssBytesOf(options.balancerPid);
    const redisBefore = rssBytesOf(options.redisPid);
    const instancesCpu = new CpuMeter(() => options.instances.map((i) => i.pid));
    const loadCpu = new CpuMeter(() => workers.map((w) => w.pid));
    instancesCpu.start();
    loadCpu.start();
    const started = performance.now();
    const perWorker = Math.ceil(options.count / workers.length);
    const target: WsTarget = { kind: 'parley', url: urls[0]! };
    const results = await Promise.all(
      workers.map((worker, i) => {
        const from = i * perWorker;
        const count = Math.max(0, Math.min(options.count, from + perWorker) - from);
        return worker.call<{
          connected: number;
          failed: number;
          errors: Record<string, number>;
          readyByUrl: number[];
        }>('connect', {
          target,
          tokens: options.tokens.slice(from, from + count),
          count,
          localAddresses: [options.sourceAddresses[i % options.sourceAddresses.length]],
          concurrency: options.concurrency,
          timeoutMs: 60_000,
          // Rotated by the worker's first socket, so the instances get even shares overall.
          urls: urls.map((_, k) => urls[(from + k) % urls.length]!),
        });
      }),
    );
    const connectSeconds = round((performance.now() - started) / 1000, 2);
    const instancesCpuPercent = instancesCpu.stopPercent();
    const loadGenCpuPercent = loadCpu.stopPercent();
    await sleep(options.settleMs); // let allocation settle before reading RSS

    const perInstance = urls.map(() => 0);
    results.forEach((r, i) => {
      const from = i * perWorker;
      r.readyByUrl.forEach((n, k) => {
        const instance = (from + k) % urls.length;
        perInstance[instance] = (perInstance[instance] ?? 0) + n;
      });
    });
    const instances = options.instances.map((inst, k): InstanceSockets => {
      const after = rssBytesOf(inst.pid);
      const sockets = perInstance[k] ?? 0;
      return {
        name: inst.name,
        pid: inst.pid,
        sockets,
        rssBeforeMiB: mib(before[k] ?? 0),
        rssAfterMiB: mib(after),
        rssPerSocketKiB: sockets > 0 ? round((after - (before[k] ?? 0)) / sockets / 1024, 2) : 0,
        openFiles: openFilesOf(inst.pid),
      };
    });
    const errors: Record<string, number> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
    const result: ClusterConnectionsResult = {
      requested: options.count,
      ready: results.reduce((sum, r) => sum + r.connected, 0),
      failed: results.reduce((sum, r) => sum + r.failed, 0),
      errors,
      connectSeconds,
      instances,
      balancerRssBeforeMiB: mib(balancerBefore),
      balancerRssAfterMiB: mib(treeRssBytesOf(options.balancerPid)),
      redisRssBeforeMiB: mib(redisBefore),
      redisRssAfterMiB: mib(rssBytesOf(options.redisPid)),
      instancesCpuPercent,
      loadGenCpuPercent,
    };
    options.log(
      `  cluster: ${result.ready}/${options.count} sockets ready in ${connectSeconds} s; ` +
        instances
          .map(
            (i) =>
              `${i.name} ${i.sockets} sockets ${i.rssPerSocketKiB} KiB each (${i.rssBeforeMiB} -> ${i.rssAfterMiB} MiB, ${i.openFiles} files)`,
          )
          .join('; ') +
        `; nginx ${result.balancerRssBeforeMiB} -> ${result.balancerRssAfterMiB} MiB, Redis ${result.redisRssBeforeMiB} -> ${result.redisRssAfterMiB} MiB; ` +
        `${result.failed} failed ${JSON.stringify(errors)}`,
    );
    return result;
  } finally {
    await Promise.all(workers.map((w) => w.call('closeAll').catch(() => {})));
    await Promise.all(workers.map((w) => w.stop()));
  }
}
