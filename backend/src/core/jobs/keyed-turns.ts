/**
 * Work on one key done one after the other, within this process: a call with a key waits for
 * the calls before it with the same key to settle (whatever their outcome), then runs. Keys with
 * nothing in flight cost one map lookup.
 */
export class KeyedTurns {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key);
    const mine = before ? before.then(work, work) : work();
    const tail = mine.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return mine;
  }
}
