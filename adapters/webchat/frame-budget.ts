/** Flood control per customer and per address, and the other limits of a web chat server. */
export interface WebchatLimits {
  /** Frames one customer (bot and customer id, over all their sockets) may send in a burst (default 10). */
  capacity: number;
  /** Milliseconds for a customer to regain one frame (default 1000: 10 frames per 10 s). */
  refillMs: number;
  /** Frames all sockets from one address may send in a burst (default 500: the 50 sockets an address may hold, 10 frames each). */
  addressCapacity: number;
  /** Milliseconds for an address to regain one frame (default 20: 50 frames a second, each of 50 sockets at its customer's rate). */
  addressRefillMs: number;
  /** Refused frames after which the socket is closed with 1008 (default 20). */
  maxStrikes: number;
  /** Open sockets allowed from one IP address (default 50); more are closed with 1008. */
  maxConnectionsPerIp: number;
  /** A socket that sends nothing for this long is closed with 1000 (default 30 minutes). */
  idleMs: number;
  /** A socket that has not said `hello` this long after opening is closed with 1008 (default 10 s). */
  helloMs: number;
}

/**
 * The limits used when the configuration sets none.
 *
 * @example
 * ```ts
 * const limits: WebchatLimits = { ...DEFAULT_WEBCHAT_LIMITS, idleMs: 60_000 };
 * ```
 */
export const DEFAULT_WEBCHAT_LIMITS: WebchatLimits = {
  capacity: 10, refillMs: 1000, addressCapacity: 500, addressRefillMs: 20, maxStrikes: 20, maxConnectionsPerIp: 50, idleMs: 30 * 60_000, helloMs: 10_000,
};

/** What {@link FrameBudget.take} decided about one frame. */
export type FrameVerdict = 'accept' | 'refuse' | 'close';

/**
 * A connection's frame budget: a token bucket of `capacity` frames, one
 * regained every `refillMs`. A frame over budget is refused; after
 * `maxStrikes` refusals the connection should be closed.
 *
 * @example
 * ```ts
 * const budget = new FrameBudget(DEFAULT_WEBCHAT_LIMITS);
 * if (budget.take() !== 'accept') refuse();
 * ```
 */
export class FrameBudget {
  private tokens: number;
  private refilledAt: number;
  private strikes = 0;

  constructor(
    private readonly limits: Pick<WebchatLimits, 'capacity' | 'refillMs' | 'maxStrikes'>,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limits.capacity;
    this.refilledAt = now();
  }

  /** Spends a token for one frame. */
  take(): FrameVerdict {
    const gained = Math.floor((this.now() - this.refilledAt) / this.limits.refillMs);
    if (gained > 0) {
      this.tokens = Math.min(this.limits.capacity, this.tokens + gained);
      this.refilledAt += gained * this.limits.refillMs;
    }
    if (this.tokens > 0) {
      this.tokens -= 1;
      return 'accept';
    }
    this.strikes += 1;
    return this.strikes >= this.limits.maxStrikes ? 'close' : 'refuse';
  }
}

/** A {@link FrameBudget} held by some sockets, and how to let go of it. */
export interface HeldBudget {
  budget: FrameBudget;
  /** Called once by each holder when its socket closes; the last one frees the budget. */
  release(): void;
}

/**
 * Frame budgets shared by every socket with the same key (a customer, an
 * address), so opening more sockets buys no more frames. A budget lives while
 * some socket holds it.
 *
 * @example
 * ```ts
 * const budgets = new SharedFrameBudgets();
 * const held = budgets.hold('address:203.0.113.7', { capacity: 50, refillMs: 200, maxStrikes: 20 });
 * if (held.budget.take() !== 'accept') refuse();
 * socket.on('close', held.release);
 * ```
 */
export class SharedFrameBudgets {
  private readonly held = new Map<string, { budget: FrameBudget; holders: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The budget of `key` (created with `limits` if nobody holds it), for one more holder. */
  hold(key: string, limits: Pick<WebchatLimits, 'capacity' | 'refillMs' | 'maxStrikes'>): HeldBudget {
    const entry = this.held.get(key) ?? { budget: new FrameBudget(limits, this.now), holders: 0 };
    entry.holders += 1;
    this.held.set(key, entry);
    let released = false;
    return {
      budget: entry.budget,
      release: () => {
        if (released) return;
        released = true;
        entry.holders -= 1;
        if (entry.holders === 0 && this.held.get(key) === entry) this.held.delete(key);
      },
    };
  }

  /** How many budgets are held (for tests and metrics). */
  get size(): number {
    return this.held.size;
  }
}
