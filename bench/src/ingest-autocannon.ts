/**
 * `npm run bench:autocannon` (in bench/): the ingest numbers again, measured by an outside load
 * tool (autocannon) instead of the bench's own HTTP worker, so a flaw in one cannot flatter both.
 *
 * Starts the Express hello-world baseline and Parley's production build (fresh DATA_DIR, one
 * account registered through the API, one private room), then for each target runs autocannon
 * `BENCH_AC_RUNS` times (default 3) at `BENCH_AC_CONNECTIONS` (default 64) for `BENCH_AC_SECONDS`
 * (default 10) against `POST /jobs` with the same JSON body. Prints req/s and the server's CPU µs
 * per request (user + system time from /proc, which the machine's other load disturbs far less
 * than throughput) for each run and their medians, and checks afterwards that every accepted
 * message is in the room log. `BENCH_AC_KEYED=1` adds a run with an Idempotency-Key per request.
 * `BENCH_AC_RATE=<req/s>` offers a fixed rate instead of as many as the connections can send:
 * on a busy machine the CPU per request of two builds compares only at the same rate (batches,
 * and so the cost per request, grow with the rate). `BENCH_AC_SKIP_EXPRESS=1` skips the baseline.
 * BENCH_PARLEY_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) is passed to the server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { waitForCommitted } from './phases/ingest.js';
import { CpuMeter } from './processes.js';
import { registerAdmin } from './register.js';
import { ensureBuilt, startBaseline, startParley } from './servers.js';

const runs = Number(process.env.BENCH_AC_RUNS ?? 3);
const connections = Number(process.env.BENCH_AC_CONNECTIONS ?? 64);
const seconds = Number(process.env.BENCH_AC_SECONDS ?? 10);
const keyed = process.env.BENCH_AC_KEYED === '1';
const rate = process.env.BENCH_AC_RATE ? Number(process.env.BENCH_AC_RATE) : undefined;
const skipExpress = process.env.BENCH_AC_SKIP_EXPRESS === '1';

interface Run {
  perSecond: number;
  cpuMicrosPerRequest: number;
  non2xx: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(
  name: string,
  serverPid: number,
  options: autocannon.Options,
  log: (line: string) => void,
): Promise<Run[]> {
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const cpu = new CpuMeter(() => [serverPid]);
    cpu.start();
    const r = await autocannon({
      ...options,
      connections,
      duration: seconds,
      ...(rate ? { overallRate: rate } : {}),
    });
    const { cpuSeconds } = cpu.stop();
    const ok = r['2xx'];
    const run: Run = {
      perSecond: Math.round(ok / seconds),
      cpuMicrosPerRequest: ok > 0 ? Math.round((cpuSeconds * 1e6) / ok) : 0,
      non2xx: r.non2xx + r.errors,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      ok,
    };
    log(
      `  ${name} run ${i + 1}: ${run.perSecond} req/s, ${run.cpuMicrosPerRequest} µs server CPU/request, ` +
        `p50 ${run.p50Ms} ms p99 ${run.p99Ms} ms, ${run.non2xx} not 2xx (load ${os.loadavg()[0]!.toFixed(2)})`,
    );
    results.push(run);
  }
  log(
    `  ${name} median: ${median(results.map((r) => r.perSecond))} req/s, ` +
      `${median(results.map((r) => r.cpuMicrosPerRequest))} µs server CPU/request`,
  );
  return results;
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  ensureBuilt(log);
  log(
    `autocannon, ${connections} connections${rate ? ` at ${rate} req/s` : ''}, ${seconds} s × ${runs}, ` +
      `load ${os.loadavg().map((v) => v.toFixed(2))}`,
  );

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-autocannon-'));
  try {
    const parley = await startParley(dataDir);
    try {
      const token = await registerAdmin(parley.origin);
      const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const roomRes = await fetch(`${parley.origin}/rooms`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: 'autocannon', visibility: 'private' }),
      });
      if (roomRes.status !== 201) throw new Error(`POST /rooms answered ${roomRes.status}`);
      const roomId = ((await roomRes.json()) as { room: { id: string } }).room.id;
      const body = JSON.stringify({ type: 'message', roomId, text: 'ingest' });
      const request = { url: `${parley.origin}/jobs`, method: 'POST' as const, headers: auth, body };

      let expressRuns: Run[] = [];
      if (!skipExpress) {
        const express = await startBaseline('express');
        expressRuns = await measure(
          'express hello-world',
          express.pid,
          { ...request, url: `http://127.0.0.1:${express.port}/jobs` },
          log,
        ).finally(() => express.stop());
      }

      const parleyRuns = await measure('parley POST /jobs', parley.pid, request, log);
      let accepted = parleyRuns.reduce((sum, r) => sum + r.ok, 0);
      if (keyed) {
        let n = 0;
        const keyedRuns = await measure(
          'parley POST /jobs with Idempotency-Key',
          parley.pid,
          {
            ...request,
            requests: [
              {
                method: 'POST',
                path: '/jobs',
                setupRequest: (req) => ({
                  ...req,
                  headers: { ...auth, 'Idempotency-Key': `ac-${process.pid}-${n++}` },
                }),
              },
            ],
          },
          log,
        );
        accepted += keyedRuns.reduce((sum, r) => sum + r.ok, 0);
      }
      const drained = await waitForCommitted({
        origin: parley.origin,
        token,
        roomId,
        expected: accepted,
        timeoutMs: 120_000,
      });
      // The room log also holds the creator's member.joined; requests still in flight when a run
      // ended are committed without being counted as accepted.
      log(
        `  room log ${drained.committed} events for ${accepted} accepted (backlog drained in ${drained.drainSeconds} s)`,
      );
      if (expressRuns.length > 0) {
        const ratio =
          median(parleyRuns.map((r) => r.perSecond)) / median(expressRuns.map((r) => r.perSecond));
        log(`  parley / express (median req/s): ${ratio.toFixed(2)}×`);
      }
      if (drained.committed < accepted) process.exitCode = 1;
    } finally {
      await parley.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
