/**
 * Matches replies that arrive per customer (with no link to the message they
 * answer) to the customer's messages, which are answered in order. Message `k`
 * of a customer counts as answered when the customer's reply number
 * `sum(expected[0..k-1]) + 1` arrives: its first reply, given that every earlier
 * message got its calibrated number of replies.
 *
 * @example
 * ```ts
 * const ledger = new ReplyLedger(3000, [2, 1, 2]);
 * ledger.sent(17, 0, performance.now());
 * ledger.reply(17, performance.now()); // message 0 of customer 17 is answered
 * ```
 */
export class ReplyLedger {
  private readonly thresholds: number[];
  private readonly perCustomer: number;
  private readonly replies: Uint32Array;
  private readonly answeredCount: Uint32Array;
  private readonly sentAt: Float64Array;
  /** `performance.now()` of every first reply, in arrival order. */
  readonly answeredAt: number[] = [];
  /** Milliseconds from sending a message to its first reply. */
  readonly latencies: number[] = [];
  /** Replies in total. */
  totalReplies = 0;
  /** Replies to customers who already got every reply the whole script should produce. */
  extraReplies = 0;
  /** Replies the messages sent so far should produce, by calibration. */
  expectedReplies = 0;
  /** Distinct customers that were sent at least one message. */
  customersReached = 0;

  constructor(private readonly customers: number, private readonly expected: readonly number[]) {
    this.thresholds = [];
    let sum = 0;
    for (const n of expected) {
      this.thresholds.push(sum + 1);
      sum += n;
    }
    this.perCustomer = sum;
    this.replies = new Uint32Array(customers);
    this.answeredCount = new Uint32Array(customers);
    this.sentAt = new Float64Array(customers * expected.length).fill(Number.NaN);
  }

  /** Messages answered so far. */
  get answered(): number {
    return this.answeredAt.length;
  }

  /** Records that message `step` of `customer` was sent at `at`. */
  sent(customer: number, step: number, at: number): void {
    this.sentAt[customer * this.thresholds.length + step] = at;
    this.expectedReplies += this.expected[step] ?? 0;
    if (step === 0) this.customersReached += 1;
  }

  /** Records a reply to `customer` arriving at `at`. */
  reply(customer: number, at: number): void {
    if (customer < 0 || customer >= this.customers) return;
    this.totalReplies += 1;
    const got = (this.replies[customer] ?? 0) + 1;
    this.replies[customer] = got;
    if (got > this.perCustomer) this.extraReplies += 1;
    const k = this.answeredCount[customer] ?? 0;
    const threshold = this.thresholds[k];
    if (threshold === undefined || got < threshold) return;
    this.answeredCount[customer] = k + 1;
    this.answeredAt.push(at);
    const sentAt = this.sentAt[customer * this.thresholds.length + k] ?? Number.NaN;
    if (Number.isFinite(sentAt)) this.latencies.push(at - sentAt);
  }

  /** First replies that arrived at or before `at`. */
  answeredBy(at: number): number {
    let n = 0;
    for (const t of this.answeredAt) if (t <= at) n += 1;
    return n;
  }
}
