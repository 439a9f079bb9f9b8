/**
 * Group commit: calls that arrive while a write is in flight are gathered
 * and written together by the next one, in one transaction. Under load a
 * hundred webhook admissions cost one commit (one fsync) instead of a
 * hundred; alone, a call is written at once.
 *
 * `write` gets the items in arrival order and returns one result per item.
 * If it throws, every call of that batch rejects with the error.
 *
 * @example
 * ```ts
 * const admissions = new GroupCommit((events: JournalInput[]) => store.admit(events));
 * const [admission] = await admissions.add([event]);
 * ```
 */
export class GroupCommit<I, O> {
  private queue: { items: I[]; resolve: (out: O[]) => void; reject: (err: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly write: (items: I[]) => Promise<O[]>, private readonly maxBatch = 500) {}

  /** Writes `items` (with whatever else is waiting) and resolves with their results, in order. */
  add(items: readonly I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    const done = new Promise<O[]>((resolve, reject) => this.queue.push({ items: [...items], resolve, reject }));
    this.writing ??= this.drain();
    return done;
  }

  /** Resolves when nothing is waiting to be written. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Let the calls of this tick join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch: typeof this.queue = [];
      let size = 0;
      while (this.queue.length > 0 && (batch.length === 0 || size + (this.queue[0]?.items.length ?? 0) <= this.maxBatch)) {
        const next = this.queue.shift();
        if (!next) break;
        batch.push(next);
        size += next.items.length;
      }
      try {
        const out = await this.write(batch.flatMap((b) => b.items));
        let at = 0;
        for (const call of batch) {
          call.resolve(out.slice(at, at + call.items.length));
          at += call.items.length;
        }
      } catch (err) {
        for (const call of batch) call.reject(err);
      }
    }
    this.writing = undefined;
  }
}
