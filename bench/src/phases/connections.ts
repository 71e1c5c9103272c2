/**
 * Idle connections: N authenticated sockets held open; the server's resident memory per socket
 * and the time to open them all. Clients are spread over several processes and loopback source
 * addresses (ephemeral ports are per source address).
 */
import { round } from '../histogram.js';
import type { WsTarget } from '../payload.js';
import { CpuMeter, openFilesOf, rssBytesOf, sleep, Worker } from '../processes.js';

export interface ConnectionsResult {
  target: string;
  requested: number;
  connected: number;
  failed: number;
  errors: Record<string, number>;
  connectSeconds: number;
  serverRssBeforeMiB: number;
  serverRssAfterMiB: number;
  rssPerSocketKiB: number;
  serverOpenFiles: number;
  serverCpuPercent: number;
  loadGenCpuPercent: number;
}

export async function idleConnections(options: {
  target: WsTarget;
  serverPid: number;
  count: number;
  /** Parley: one token per socket. */
  tokens: string[];
  workers: number;
  sourceAddresses: string[];
  settleMs: number;
  log: (line: string) => void;
}): Promise<ConnectionsResult> {
  const workers = Array.from({ length: options.workers }, () => new Worker('ws-clients.ts'));
  try {
    await sleep(options.settleMs);
    const before = rssBytesOf(options.serverPid);
    const serverCpu = new CpuMeter(() => [options.serverPid]);
    const loadCpu = new CpuMeter(() => workers.map((w) => w.pid));
    serverCpu.start();
    loadCpu.start();
    const started = performance.now();
    const perWorker = Math.ceil(options.count / workers.length);
    const results = await Promise.all(
      workers.map((worker, i) => {
        const from = i * perWorker;
        const count = Math.max(0, Math.min(options.count, from + perWorker) - from);
        return worker.call<{ connected: number; failed: number; errors: Record<string, number> }>('connect', {
          target: options.target,
          tokens: options.tokens.slice(from, from + count),
          count,
          localAddresses: [options.sourceAddresses[i % options.sourceAddresses.length]],
          concurrency: 64,
          timeoutMs: 30_000,
        });
      }),
    );
    const connectSeconds = round((performance.now() - started) / 1000, 2);
    const serverCpuPercent = serverCpu.stopPercent();
    const loadGenCpuPercent = loadCpu.stopPercent();
    await sleep(options.settleMs); // let allocation settle before reading RSS
    const after = rssBytesOf(options.serverPid);
    const connected = results.reduce((sum, r) => sum + r.connected, 0);
    const errors: Record<string, number> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
    const result: ConnectionsResult = {
      target: options.target.kind,
      requested: options.count,
      connected,
      failed: results.reduce((sum, r) => sum + r.failed, 0),
      errors,
      connectSeconds,
      serverRssBeforeMiB: round(before / 2 ** 20, 1),
      serverRssAfterMiB: round(after / 2 ** 20, 1),
      rssPerSocketKiB: connected > 0 ? round((after - before) / connected / 1024, 2) : 0,
      serverOpenFiles: openFilesOf(options.serverPid),
      serverCpuPercent,
      loadGenCpuPercent,
    };
    options.log(
      `  ${result.target} ${connected}/${options.count} sockets in ${connectSeconds} s, ` +
        `${result.rssPerSocketKiB} KiB RSS/socket (${result.serverRssBeforeMiB} -> ${result.serverRssAfterMiB} MiB), ` +
        `${result.failed} failed ${JSON.stringify(errors)}`,
    );
    return result;
  } finally {
    await Promise.all(workers.map((w) => w.call('closeAll').catch(() => {})));
    await Promise.all(workers.map((w) => w.stop()));
  }
}
