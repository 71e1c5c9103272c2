/**
 * The fan-out rows of the report: per rate, Parley against raw `ws` and socket.io, each as the
 * median (min–max) over the interleaved rounds, with the server's and the clients' CPU per
 * delivery and how the bytes arrived (deliveries per TCP read).
 */
import { round } from './histogram.js';
import type { FanOutRounds, FanOutSummary, Spread } from './phases/fan-out-rounds.js';
import type { Check, Row } from './report.js';

const n = (value: number) => value.toLocaleString('en-US');
const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : 0);
const spreadOf = (s: Spread, format: (v: number) => string = n) =>
  s.min === s.max ? format(s.median) : `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
const plain = (s: Spread) => spreadOf(s, String);

export function fanOutRows(f: FanOutRounds, rows: Row[], check: Check): void {
  rows.push({
    metric: `fan-out rounds (Parley, raw ws, socket.io interleaved): 1-minute load average at the start of each`,
    parley: f.loadAverageAtRounds.join(', '),
    baseline: '',
    ratio: '',
    target: '',
    met: '',
  });
  f.summary.parley.forEach((p, i) => {
    const raw = f.summary.raw[i];
    const sio = f.summary.sio[i];
    if (!raw || !sio) return;
    const below = p.regime === 'below saturation';
    const label =
      `fan-out ${n(f.members)} members @ ${n(p.ratePerSecond)} msg/s` +
      `${below ? ' (below saturation: half of raw ws)' : ''}, median (min–max) of ${f.repeats}`;
    // The targets at the target rate (1,000 members × 100 msg/s); below saturation, latency.
    const atTargetRate = !below && p.ratePerSecond === 100;
    const vsRaw = ratio(p.deliveredPerSecond.median, raw.deliveredPerSecond.median);
    const vsSio = ratio(p.deliveredPerSecond.median, sio.deliveredPerSecond.median);
    rows.push({
      metric: `${label}: deliveries/s (raw ws)`,
      parley: spreadOf(p.deliveredPerSecond),
      baseline: spreadOf(raw.deliveredPerSecond),
      ratio: `${vsRaw}×`,
      target: below ? '' : '≥ 0.8×',
      met: below ? '' : check(`${label} deliveries vs raw ws`, vsRaw, '>= 0.8', vsRaw >= 0.8),
    });
    rows.push({
      metric: `${label}: deliveries/s (socket.io)`,
      parley: spreadOf(p.deliveredPerSecond),
      baseline: spreadOf(sio.deliveredPerSecond),
      ratio: `${vsSio}×`,
      target: atTargetRate ? '≥ 1×' : '',
      met: atTargetRate ? check(`${label} deliveries vs socket.io`, vsSio, '>= 1', vsSio >= 1) : '',
    });
    latencyRow(rows, check, label, p, raw, 'raw ws', below ? 1.5 : undefined);
    latencyRow(rows, check, label, p, sio, 'socket.io', atTargetRate ? 1 : undefined);
    cpuRow(rows, check, label, p, raw, 'raw ws', atTargetRate ? 1.2 : undefined);
    cpuRow(rows, check, label, p, sio, 'socket.io', atTargetRate ? 0.5 : undefined);
    rows.push({
      metric: `${label}: member clients' CPU µs per delivery, Parley / raw ws (socket.io)`,
      parley: `${plain(p.clientCpuUsPerDelivery)} / ${plain(raw.clientCpuUsPerDelivery)}`,
      baseline: plain(sio.clientCpuUsPerDelivery),
      ratio: `${ratio(p.clientCpuUsPerDelivery.median, sio.clientCpuUsPerDelivery.median)}×`,
      target: '',
      met: '',
    });
    rows.push({
      metric: `${label}: deliveries per client TCP read / server writes per delivery, Parley; raw ws (socket.io)`,
      parley: `${plain(p.framesPerRead)} / ${plain(p.serverWritesPerDelivery)}; ${plain(raw.framesPerRead)} / ${plain(raw.serverWritesPerDelivery)}`,
      baseline: `${plain(sio.framesPerRead)} / ${plain(sio.serverWritesPerDelivery)}`,
      ratio: '',
      target: '',
      met: '',
    });
  });
}

function latencyRow(
  rows: Row[],
  check: Check,
  label: string,
  p: FanOutSummary,
  base: FanOutSummary,
  name: string,
  limit: number | undefined,
): void {
  const r = ratio(p.p99Ms.median, base.p99Ms.median);
  rows.push({
    metric: `${label}: latency p50 / p99 ms (${name})`,
    parley: `${plain(p.p50Ms)} / ${plain(p.p99Ms)}`,
    baseline: `${plain(base.p50Ms)} / ${plain(base.p99Ms)}`,
    ratio: `p99 ${r}×`,
    target: limit === undefined ? '' : `p99 ≤ ${limit}×`,
    met: limit === undefined ? '' : check(`${label} p99 vs ${name}`, r, `<= ${limit}`, r <= limit),
  });
}

function cpuRow(
  rows: Row[],
  check: Check,
  label: string,
  p: FanOutSummary,
  base: FanOutSummary,
  name: string,
  limit: number | undefined,
): void {
  const r = ratio(p.serverCpuUsPerDelivery.median, base.serverCpuUsPerDelivery.median);
  rows.push({
    metric: `${label}: server CPU µs per delivery (${name})`,
    parley: plain(p.serverCpuUsPerDelivery),
    baseline: plain(base.serverCpuUsPerDelivery),
    ratio: `${r}×`,
    target: limit === undefined ? '' : `≤ ${limit}×`,
    met:
      limit === undefined
        ? ''
        : check(`${label} server CPU per delivery vs ${name}`, r, `<= ${limit}`, r <= limit),
  });
}
