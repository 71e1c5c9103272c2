/**
 * Group commit: writes submitted while the database is busy are committed together in one
 * transaction, so many concurrent requests share one disk sync instead of queueing for one
 * each. Every caller still gets its answer only after the commit that holds its write.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  /**
   * @param runBatch writes every item in one transaction and returns their results in order.
   * @param runOne writes one item on its own (used when a batch fails, so one bad item cannot
   *   fail the others).
   */
  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly runOne: (item: I) => Promise<O>,
    private readonly maxBatch = 256,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    this.scheduled = this.queue.length > 0;
    if (this.scheduled) setImmediate(() => void this.flush());
    if (batch.length === 0) return;
    try {
      const results = await this.runBatch(batch.map((entry) => entry.item));
      for (const [index, entry] of batch.entries()) entry.resolve(results[index] as O);
    } catch {
      for (const entry of batch) await this.runOne(entry.item).then(entry.resolve, entry.reject);
    }
  }
}
