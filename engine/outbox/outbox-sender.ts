import type { Logger } from 'pino';
import type { ConversationStore, OutboxEntry } from '../store/conversation-store.ts';
import { WorkLoop } from '../conversation/work-loop.ts';
import { GroupCommit } from '../store/group-commit.ts';
import { systemClock, type Clock } from '../services.ts';

/**
 * What one delivery attempt of a reply turned out to be.
 * - `sent`: the channel took it.
 * - `retry`: worth another try later (`afterMs` when the channel said how long to wait).
 * - `failed`: the channel refused it for good: it becomes a dead letter.
 * - `away`: the customer cannot be reached now (their web chat is closed): kept, not counted as an attempt.
 */
export type DeliveryOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; reason: string; afterMs?: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'away' };

/**
 * Delivers replies on one channel. Adapters get one from the kit
 * (`channelSender(adapter)`); pacing belongs to the sender.
 *
 * @example
 * ```ts
 * const sender: ChannelSender = {
 *   channel: 'sms',
 *   async deliver(entry) { return (await sms.send(entry.customerId, toText(entry.message))) ? { kind: 'sent' } : { kind: 'retry', reason: 'busy' }; },
 * };
 * ```
 */
export interface ChannelSender {
  readonly channel: string;
  deliver(entry: OutboxEntry): Promise<DeliveryOutcome>;
}

/** What the sender reports, for metrics and logs. */
export interface OutboxObserver {
  onSent?(channel: string): void;
  onRetry?(channel: string): void;
  onDeadLetter?(channel: string): void;
}

/** Options of {@link OutboxSender}. */
export interface OutboxSenderOptions {
  store: ConversationStore;
  logger: Logger;
  /** This instance's name in leases (each claim adds a number to it). */
  owner: string;
  /** Attempts before a reply becomes a dead letter (default 8). */
  maxAttempts?: number;
  /** First retry delay (ms, default 1 000), doubled per attempt up to `maxDelayMs`, with ±25% jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** When to try again a reply whose customer was away (ms, default 10 minutes; their return wakes it sooner). */
  awayDelayMs?: number;
  /**
   * How long a claimed reply is this sender's before another may send it (ms, default 15 000).
   * The sender renews its leases every third of that while it works, so this bounds how long
   * the replies of a process that died wait, not how long a send may take.
   */
  leaseMs?: number;
  /** How long {@link OutboxSender.stop} waits for sends in progress (ms, default 3 000). */
  stopGraceMs?: number;
  /** Customers served at once (default 64). */
  concurrency?: number;
  /** How often to look for replies written by other instances or due for a retry (ms, default 250). */
  pollMs?: number;
  observer?: OutboxObserver;
  /** Jitter source in [0, 1); replaced in tests. */
  random?: () => number;
  /** The time a retry is scheduled from (the store's clock; default the system clock). */
  clock?: Clock;
}

/**
 * The outbox's sender: claims due replies, delivers each customer's in
 * order through the channel's {@link ChannelSender}, retries transient
 * failures with exponential backoff and jitter, dead-letters permanent ones
 * and those whose attempts ran out. Survives restarts: everything it has
 * not marked sent is still in the outbox.
 *
 * @example
 * ```ts
 * const outbox = new OutboxSender({ store, logger, owner: 'web-1' });
 * outbox.register(channelSender(whatsappAdapter));
 * outbox.start();
 * ```
 */
export class OutboxSender {
  private readonly senders = new Map<string, ChannelSender>();
  /** Replies sent together are marked in one transaction. */
  private readonly sent: GroupCommit<{ id: number; lease: string }, undefined>;
  private claims = 0;
  private running = false;
  private readonly loop: WorkLoop<Claimed>;
  private readonly options: Required<Omit<OutboxSenderOptions, 'observer'>> & { observer: OutboxObserver };

  constructor(options: OutboxSenderOptions) {
    this.options = {
      maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 5 * 60_000, awayDelayMs: 10 * 60_000, concurrency: 64, pollMs: 250, leaseMs: 15_000, stopGraceMs: 3000,
      random: Math.random, observer: {}, clock: systemClock, ...options,
    };
    this.sent = new GroupCommit(async (rows) => {
      await this.options.store.markSent(rows);
      return rows.map(() => undefined);
    });
    this.loop = new WorkLoop<Claimed>({
      name: 'outbox', concurrency: this.options.concurrency, pollMs: this.options.pollMs, logger: options.logger,
      // A claim scans up to OUTBOX_SCAN unsent rows: fill a quarter of the slots at a time, not one.
      claimWhenFree: Math.max(1, Math.floor(this.options.concurrency / 4)),
      claim: async (limit) => {
        // Each claim leases under a name of its own: work still running from an expired claim cannot renew or mark it.
        const lease = `${this.options.owner}#${++this.claims}`;
        const entries = await this.options.store.claimOutbox(lease, [...this.senders.keys()], limit, this.options.leaseMs);
        return groupByCustomer(entries).map((group) => ({ lease, entries: group }));
      },
      run: (claimed) => this.deliverInOrder(claimed),
    });
  }

  /** Makes a channel's replies deliverable; the last sender registered for a channel wins. */
  register(sender: ChannelSender): void {
    this.senders.set(sender.channel, sender);
    this.loop.wake();
  }

  /** Customers whose replies are being sent right now. */
  get busy(): number {
    return this.loop.busy;
  }

  /** The channels replies can leave on. */
  get channels(): string[] {
    return [...this.senders.keys()];
  }

  start(): void {
    this.running = true;
    this.loop.start();
  }

  /**
   * A lease under which a turn may append its replies already leased to this
   * sender (`ConversationStore.appendLeased`), to be handed over with
   * {@link OutboxSender.dispatch} once the turn commits: they then leave
   * without waiting for a claim. `undefined` when this sender does not
   * deliver that channel or is not running (the replies are then claimed).
   *
   * @example
   * ```ts
   * const lease = outbox.leaseFor('whatsapp'); // { owner: 'host:42:ab12#7', until: … }
   * ```
   */
  leaseFor(channel: string): { owner: string; until: Date } | undefined {
    if (!this.running || !this.senders.has(channel)) return undefined;
    return { owner: `${this.options.owner}#${++this.claims}`, until: new Date(this.options.clock.now().getTime() + this.options.leaseMs) };
  }

  /**
   * Delivers replies a committed turn appended under `owner`, a lease from
   * {@link OutboxSender.leaseFor}, in order, like claimed ones. A sender that
   * stopped meanwhile gives them back to be claimed.
   */
  dispatch(owner: string, entries: readonly OutboxEntry[]): void {
    if (entries.length === 0) return;
    if (this.loop.push({ lease: owner, entries: [...entries] })) return;
    this.options.store.unlease(entries.map((e) => e.id), owner).catch((err: unknown) => this.options.logger.warn({ err }, 'replies not given back to be claimed; they will be when their lease runs out'));
  }

  /** Looks for due replies now (a turn just wrote some). */
  wake(): void {
    this.loop.wake();
  }

  /**
   * Stops sending; waits `stopGraceMs` at most for sends in progress (a
   * channel that does not answer must not hold a shutdown). Unsent replies
   * stay in the outbox for the next start.
   */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop.stop(this.options.stopGraceMs);
    await this.sent.flushed();
  }

  /** Makes a customer's replies kept while they were away due now (they came back). */
  async welcomeBack(to: { botId: string; channel: string; customerId: string }): Promise<number> {
    const woken = await this.options.store.wakeOutbox(to);
    if (woken > 0) this.loop.wake();
    return woken;
  }

  private backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs, random } = this.options;
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(delay * (0.75 + random() * 0.5));
  }

  /**
   * Delivers one customer's replies in order; a reply that must wait holds
   * back the rest. While it works, the claim's lease is renewed every third
   * of its length, so a slow channel keeps its replies and a dead process
   * loses them within one lease.
   */
  private async deliverInOrder(claimed: Claimed): Promise<void> {
    const { store, logger, leaseMs } = this.options;
    const { lease: owner, entries } = claimed;
    let lost = false;
    let next = 0;
    const heartbeat = setInterval(() => {
      const rest = entries.slice(next).map((e) => e.id);
      store.renewOutboxLeases(rest, owner, leaseMs).then((held) => {
        if (held < rest.length) lost = true;
      }, (err: unknown) => logger.warn({ err }, 'outbox lease not renewed'));
    }, Math.max(1, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    try {
      await this.deliverEach(claimed, (i) => {
        next = i;
        return lost;
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async deliverEach({ lease: owner, entries }: Claimed, startingAt: (i: number) => boolean): Promise<void> {
    const { store, logger, maxAttempts, awayDelayMs, observer } = this.options;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as OutboxEntry;
      const log = { outboxId: entry.id, channel: entry.channel, conversationId: entry.conversationId, attempt: entry.attempts + 1 };
      if (startingAt(i)) {
        // The database could not be told in time that these are still ours: another sender may have them now.
        logger.warn(log, 'replies were taken over by another sender after their lease ran out; leaving them');
        await store.unlease(entries.slice(i).map((e) => e.id), owner);
        return;
      }
      const outcome = await this.attempt(entry);
      if (outcome.kind === 'sent') {
        await this.sent.add([{ id: entry.id, lease: owner }]);
        observer.onSent?.(entry.channel);
        continue;
      }
      if (outcome.kind === 'failed' || (outcome.kind === 'retry' && entry.attempts + 1 >= maxAttempts)) {
        const reason = outcome.reason;
        await store.markDead(entry.id, owner, reason);
        observer.onDeadLetter?.(entry.channel);
        logger.error({ ...log, reason }, 'reply dead-lettered: it will not be sent');
        continue;
      }
      const now = this.options.clock.now().getTime();
      const at = outcome.kind === 'away'
        ? new Date(now + awayDelayMs)
        : new Date(now + Math.max(outcome.afterMs ?? 0, this.backoff(entry.attempts + 1)));
      if (outcome.kind === 'retry') {
        observer.onRetry?.(entry.channel);
        logger.warn({ ...log, reason: outcome.reason, retryAt: at }, 'reply not delivered; will retry');
      }
      await store.markRetry(entry.id, owner, outcome.kind === 'retry' ? outcome.reason : 'customer away', at, outcome.kind === 'retry');
      // The later replies of this customer wait behind it.
      await store.unlease(entries.slice(i + 1).map((e) => e.id), owner);
      return;
    }
  }

  private async attempt(entry: OutboxEntry): Promise<DeliveryOutcome> {
    const sender = this.senders.get(entry.channel);
    if (!sender) return { kind: 'away' };
    try {
      return await sender.deliver(entry);
    } catch (err) {
      return { kind: 'retry', reason: err instanceof Error ? err.message : String(err) };
    }
  }
}

/** One customer's replies claimed together. */
interface Claimed {
  /** The claim's lease name. */
  lease: string;
  entries: OutboxEntry[];
}

function groupByCustomer(entries: OutboxEntry[]): OutboxEntry[][] {
  const groups = new Map<string, OutboxEntry[]>();
  for (const e of entries) {
    const key = `${e.channel}|${e.botId}|${e.customerId}`;
    const list = groups.get(key) ?? [];
    list.push(e);
    groups.set(key, list);
  }
  return [...groups.values()];
}
