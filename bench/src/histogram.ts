/**
 * A mergeable latency histogram: log-spaced buckets of 1 % width over microseconds, small enough
 * to send between processes, exact enough for p50/p99, with the true maximum kept aside.
 */
const GROWTH = Math.log(1.01);

export interface HistogramData {
  /** bucket index -> count */
  buckets: Record<number, number>;
  count: number;
  maxUs: number;
}

export class Histogram {
  private readonly buckets = new Map<number, number>();
  count = 0;
  maxUs = 0;

  record(us: number): void {
    const value = Math.max(1, us);
    const index = Math.floor(Math.log(value) / GROWTH);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
    this.count++;
    if (value > this.maxUs) this.maxUs = value;
  }

  merge(data: HistogramData): void {
    for (const [index, count] of Object.entries(data.buckets)) {
      const key = Number(index);
      this.buckets.set(key, (this.buckets.get(key) ?? 0) + count);
    }
    this.count += data.count;
    if (data.maxUs > this.maxUs) this.maxUs = data.maxUs;
  }

  /** The value (µs, bucket midpoint) below which `q` (0..1) of the samples fall. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const target = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(index) ?? 0;
      if (seen >= target) return Math.min(this.maxUs, Math.exp((index + 0.5) * GROWTH));
    }
    return this.maxUs;
  }

  /** p50/p99/max in milliseconds. */
  summary(): LatencySummary {
    return {
      count: this.count,
      p50Ms: round(this.quantile(0.5) / 1000),
      p99Ms: round(this.quantile(0.99) / 1000),
      maxMs: round(this.maxUs / 1000),
    };
  }

  toJSON(): HistogramData {
    return { buckets: Object.fromEntries(this.buckets), count: this.count, maxUs: this.maxUs };
  }

  reset(): void {
    this.buckets.clear();
    this.count = 0;
    this.maxUs = 0;
  }
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export const round = (value: number, digits = 3): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/** Microseconds on the system's monotonic clock: comparable between processes on one machine. */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
