/**
 * Work a webhook route started after answering (a turn, its replies). Routes
 * track it so a server can wait for it on close, and tests can wait for it
 * instead of sleeping.
 *
 * @example
 * ```ts
 * const work = new PendingWork();
 * work.track(handleLater());
 * await work.idle();
 * ```
 */
export class PendingWork {
  private readonly running = new Set<Promise<unknown>>();

  /** Tracks a promise until it settles; its rejection is the caller's to handle. */
  track(promise: Promise<unknown>): void {
    const settled = promise.then(() => undefined, () => undefined);
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
  }

  /** How many are still running. */
  get size(): number {
    return this.running.size;
  }

  /** Resolves when everything tracked (including work started meanwhile) has settled. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
