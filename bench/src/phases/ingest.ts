/**
 * Ingest: closed-loop sweeps of concurrency against POST /jobs (and Express hello-world), and
 * WebSocket `send`; the 202/`sent` answer means the job is durably recorded. Afterwards every
 * accepted message must appear in the room log (committed), which bounds the durable rate.
 */
import { Histogram, type HistogramData, type LatencySummary, round } from '../histogram.js';
import { CpuMeter, sleep, Worker } from '../processes.js';
import type { HttpLoadArgs } from '../workers/http-load.js';

export interface IngestStep {
  concurrency: number;
  perSecond: number;
  failed: number;
  latency: LatencySummary;
  serverCpuPercent: number;
  loadGenCpuPercent: number;
}

export interface IngestSweep {
  target: string;
  steps: IngestStep[];
  maxPerSecond: number;
  /** The lowest concurrency reaching 90 % of the best throughput. */
  knee: IngestStep;
}

export function summarize(target: string, steps: IngestStep[]): IngestSweep {
  const maxPerSecond = Math.max(...steps.map((s) => s.perSecond));
  const knee = steps.find((s) => s.perSecond >= 0.9 * maxPerSecond) ?? steps[steps.length - 1]!;
  return { target, steps, maxPerSecond, knee };
}

function logStep(log: (line: string) => void, target: string, step: IngestStep): void {
  log(
    `  ${target} c=${step.concurrency}: ${step.perSecond}/s, p50 ${step.latency.p50Ms} ms p99 ${step.latency.p99Ms} ms, ` +
      `${step.failed} failed, server CPU ${step.serverCpuPercent}%, load gen CPU ${step.loadGenCpuPercent}%`,
  );
}

export async function httpSweep(options: {
  target: string;
  serverPid: number;
  request: Omit<HttpLoadArgs, 'connections' | 'durationMs'>;
  concurrency: number[];
  stepMs: number;
  log: (line: string) => void;
}): Promise<IngestSweep & { accepted: number }> {
  const worker = new Worker('http-load.ts');
  const steps: IngestStep[] = [];
  let accepted = 0;
  try {
    for (const concurrency of options.concurrency) {
      const serverCpu = new CpuMeter(() => [options.serverPid]);
      const loadCpu = new CpuMeter(() => [worker.pid]);
      serverCpu.start();
      loadCpu.start();
      const r = await worker.call<{
        ok: number;
        failed: number;
        durationMs: number;
        histogram: HistogramData;
      }>('run', { ...options.request, connections: concurrency, durationMs: options.stepMs });
      const histogram = new Histogram();
      histogram.merge(r.histogram);
      accepted += r.ok;
      const step: IngestStep = {
        concurrency,
        perSecond: Math.round(r.ok / (r.durationMs / 1000)),
        failed: r.failed,
        latency: histogram.summary(),
        serverCpuPercent: serverCpu.stopPercent(),
        loadGenCpuPercent: loadCpu.stopPercent(),
      };
      logStep(options.log, options.target, step);
      steps.push(step);
    }
  } finally {
    await worker.stop();
  }
  return { ...summarize(options.target, steps), accepted };
}

export async function wsSendSweep(options: {
  serverPid: number;
  url: string;
  token: string;
  roomId: string;
  concurrency: number[];
  stepMs: number;
  log: (line: string) => void;
}): Promise<IngestSweep & { accepted: number }> {
  const worker = new Worker('ws-driver.ts');
  const steps: IngestStep[] = [];
  let accepted = 0;
  try {
    for (const concurrency of options.concurrency) {
      const sockets = Math.min(concurrency, 4);
      const serverCpu = new CpuMeter(() => [options.serverPid]);
      const loadCpu = new CpuMeter(() => [worker.pid]);
      serverCpu.start();
      loadCpu.start();
      const r = await worker.call<{
        accepted: number;
        refused: number;
        durationMs: number;
        histogram: HistogramData;
      }>('ingest', {
        url: options.url,
        token: options.token,
        roomId: options.roomId,
        sockets,
        window: Math.ceil(concurrency / sockets),
        durationMs: options.stepMs,
      });
      const histogram = new Histogram();
      histogram.merge(r.histogram);
      accepted += r.accepted;
      const step: IngestStep = {
        concurrency,
        perSecond: Math.round(r.accepted / (r.durationMs / 1000)),
        failed: r.refused,
        latency: histogram.summary(),
        serverCpuPercent: serverCpu.stopPercent(),
        loadGenCpuPercent: loadCpu.stopPercent(),
      };
      logStep(options.log, 'parley ws send', step);
      steps.push(step);
    }
  } finally {
    await worker.stop();
  }
  return { ...summarize('parley-ws', steps), accepted };
}

/** Waits until the room log holds `expected` events; returns how long the backlog took. */
export async function waitForCommitted(options: {
  origin: string;
  token: string;
  roomId: string;
  expected: number;
  timeoutMs: number;
}): Promise<{ committed: number; drainSeconds: number }> {
  const started = performance.now();
  let committed = 0;
  for (;;) {
    const res = await fetch(`${options.origin}/rooms/${options.roomId}`, {
      headers: { Authorization: `Bearer ${options.token}` },
    });
    const body = (await res.json()) as { room: { lastSeq: number } };
    committed = body.room.lastSeq;
    if (committed >= options.expected || performance.now() - started > options.timeoutMs) break;
    await sleep(200);
  }
  return { committed, drainSeconds: round((performance.now() - started) / 1000, 2) };
}
