import type { Logger } from 'pino';

/** Waits for the I/O callbacks already queued (incoming requests) to run. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Options of a {@link WorkLoop}. */
export interface WorkLoopOptions<T> {
  /** What the loop is called in logs. */
  name: string;
  /** Takes up to `limit` items of work (leasing them so no other instance takes them). */
  claim(limit: number): Promise<T[]>;
  /** Does one item; must not throw (a throw is logged). */
  run(item: T): Promise<void>;
  /** Most items in progress at once. */
  concurrency: number;
  /**
   * While items are in progress, claim only once this many slots are free
   * (default 1): a claim that scans many rows to fill one slot is waste.
   */
  claimWhenFree?: number;
  /** How long to wait for work that another instance (or time) may bring, when not woken (ms). */
  pollMs: number;
  logger: Logger;
}

/**
 * A loop that claims work from the database and runs it with bounded
 * concurrency: it claims again as soon as a slot frees, sleeps `pollMs` when
 * there is nothing to do, and {@link WorkLoop.wake} cuts the sleep short
 * (work admitted in this process is started at once). Before each claim and
 * each item it lets queued I/O run, so requests are answered while work is
 * waiting. {@link WorkLoop.stop}
 * stops claiming and waits for the items in progress; what was not claimed
 * stays in the database for the next start.
 *
 * @example
 * ```ts
 * const loop = new WorkLoop({ name: 'journal', claim: (n) => store.candidates(n, new Set()), run: handle, concurrency: 4, pollMs: 250, logger });
 * loop.start();
 * loop.wake();
 * await loop.stop();
 * ```
 */
export class WorkLoop<T> {
  private running = false;
  private readonly active = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly options: WorkLoopOptions<T>) {}

  /** Starts claiming (again after a stop). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.loop();
  }

  /** Looks for work now instead of after the poll interval. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming and waits for the work in progress, at most `graceMs`
   * when given (work still running then is left to finish or to be taken
   * up again from the database).
   */
  async stop(graceMs?: number): Promise<void> {
    this.running = false;
    this.wake();
    if (graceMs === undefined) {
      await this.done;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.done, new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs); })]);
    clearTimeout(timer);
  }

  /** Items in progress. */
  get busy(): number {
    return this.active.size;
  }

  private async loop(): Promise<void> {
    const { claim, concurrency, logger, name } = this.options;
    while (this.running) {
      this.woken = false;
      // Database work resolves synchronously on SQLite: let waiting requests (webhooks, /health) in first.
      await yieldToIo();
      // Counted after the yield: items may have ended meanwhile (and an empty race never ends).
      const free = concurrency - this.active.size;
      const claiming = this.active.size === 0 || free >= Math.min(concurrency, this.options.claimWhenFree ?? 1);
      let items: T[] = [];
      if (claiming) {
        try {
          items = await claim(free);
        } catch (err) {
          logger.error({ err, loop: name }, 'claiming work failed; trying again');
        }
      }
      for (const item of items) this.begin(item);
      if (!claiming || (items.length > 0 && items.length === free)) {
        // Too few slots free (or none): wait for an item to end.
        await Promise.race(this.active);
      } else if (!this.woken) {
        // Everything there was is running: wait for more (a wake, a finished item, or the poll).
        await this.sleep();
      }
    }
    await Promise.allSettled([...this.active]);
  }

  /**
   * Runs `item` now, as if claimed: it counts in {@link WorkLoop.busy} and
   * {@link WorkLoop.stop} waits for it. Returns false, running nothing, when
   * the loop is stopped.
   */
  push(item: T): boolean {
    if (!this.running) return false;
    this.begin(item);
    return true;
  }

  private begin(item: T): void {
    const { run, logger, name } = this.options;
    const task: Promise<void> = yieldToIo().then(() => run(item))
      .catch((err: unknown) => logger.error({ err, loop: name }, 'work item failed'))
      .finally(() => {
        this.active.delete(task);
        this.wake();
      });
    this.active.add(task);
  }

  private sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, this.options.pollMs);
      function finish(this: void) {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        finish();
      };
    });
  }
}

/**
 * Groups work items into batches of at most `size`, in order; an item that
 * may not share (`shareable` false) gets a batch of its own.
 *
 * @example
 * ```ts
 * batches([a, b, c, d], 2, (x) => x !== c); // [[a, b], [c], [d]]
 * ```
 */
export function batches<T>(items: readonly T[], size: number, shareable: (item: T) => boolean): T[][] {
  const out: T[][] = [];
  let open: T[] = [];
  for (const item of items) {
    if (!shareable(item)) {
      out.push([item]);
      continue;
    }
    open.push(item);
    if (open.length >= size) {
      out.push(open);
      open = [];
    }
  }
  if (open.length > 0) out.push(open);
  return out;
}
