import { VitrineError } from '../../engine/index.ts';

/** Options for {@link OutboundQueue}. */
export interface OutboundQueueOptions {
  /** Requests per second allowed per key (a phone number, a bot token). */
  maxPerSecond: number;
  /** Most attempts per request, the first included (default 5). */
  maxAttempts?: number;
  /** First retry delay in ms, doubled each time (default 500). */
  baseDelayMs?: number;
  /** Longest single retry delay in ms (default 30 000). */
  maxDelayMs?: number;
  /** Waits; replaced in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Current time in ms; replaced in tests. */
  now?: () => number;
}

/** What one attempt of a request turned out to be. */
export type AttemptOutcome<T> =
  | { kind: 'done'; value: T }
  /** Worth another try; `afterMs` when the platform said how long to wait. */
  | { kind: 'retry'; reason: string; afterMs?: number }
  | { kind: 'fail'; error: Error };

interface Bucket {
  tokens: number;
  updated: number;
  chain: Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Paces outbound requests per key with a token bucket, and retries those that
 * may succeed later with exponential backoff. Permanent failures are not retried.
 *
 * @example
 * ```ts
 * const queue = new OutboundQueue({ maxPerSecond: 80 });
 * await queue.run(phoneNumberId, async () => {
 *   const res = await fetch(url, init);
 *   if (res.ok) return { kind: 'done', value: await res.json() };
 *   return res.status === 429 || res.status >= 500 ? { kind: 'retry', reason: `HTTP ${res.status}` } : { kind: 'fail', error: new Error('rejected') };
 * });
 * ```
 */
export class OutboundQueue {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(options: OutboundQueueOptions) {
    this.rate = Math.max(options.maxPerSecond, 0.001);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  /** Waits for a token of `key`'s bucket; waiters are served in order. */
  acquire(key: string): Promise<void> {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.rate, updated: this.now(), chain: Promise.resolve() };
      this.buckets.set(key, bucket);
    }
    const b = bucket;
    const turn = b.chain.then(async () => {
      const refill = () => {
        const t = this.now();
        b.tokens = Math.min(this.rate, b.tokens + ((t - b.updated) / 1000) * this.rate);
        b.updated = t;
      };
      refill();
      if (b.tokens < 1) {
        await this.sleep(Math.ceil(((1 - b.tokens) / this.rate) * 1000));
        refill();
      }
      b.tokens -= 1;
    });
    b.chain = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Runs `attempt` (paced by `key`) until it is done, fails for good, or the
   * attempts run out (then throws a `VT_ERR_CHANNEL_SEND` {@link VitrineError}).
   */
  async run<T>(key: string, attempt: (n: number) => Promise<AttemptOutcome<T>>): Promise<T> {
    let last = 'no attempt made';
    let lastAfterMs: number | undefined;
    for (let n = 1; n <= this.maxAttempts; n++) {
      await this.acquire(key);
      let outcome: AttemptOutcome<T>;
      try {
        outcome = await attempt(n);
      } catch (err) {
        outcome = { kind: 'retry', reason: err instanceof Error ? err.message : String(err) };
      }
      if (outcome.kind === 'done') return outcome.value;
      if (outcome.kind === 'fail') throw outcome.error;
      last = outcome.reason;
      lastAfterMs = outcome.afterMs;
      if (n < this.maxAttempts) {
        const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (n - 1));
        await this.sleep(Math.min(this.maxDelayMs, Math.max(outcome.afterMs ?? 0, backoff)));
      }
    }
    throw new VitrineError('VT_ERR_CHANNEL_SEND', `gave up after ${this.maxAttempts} attempts: ${last}`, {
      context: { key, attempts: this.maxAttempts, retriable: true, ...(lastAfterMs !== undefined ? { retryAfterMs: lastAfterMs } : {}) },
    });
  }
}
