import { VitrineError } from '../errors.ts';

/**
 * Which journal events and which replies a worker may take next: the rules
 * every {@link ConversationStore} applies to the rows it reads, whatever the
 * database.
 */

/** How many of the oldest unfinished events a claim looks at to find conversations to run. */
export const JOURNAL_WINDOW = 256;
/** Most unsent replies a claim looks at to find each customer's next ones (page by page, see {@link firstOutboxPage}). */
export const OUTBOX_SCAN = 500;
/** Most replies of one customer claimed at once (what is claimed must leave well within the lease, paced). */
export const OUTBOX_PER_CUSTOMER = 4;

/**
 * The events to run next from the window of the oldest unfinished ones (in id
 * order): the first event of each conversation is its oldest, and it is taken
 * only when that conversation is not running here and its retry time has come.
 *
 * @example
 * ```ts
 * const ids = nextEvents(window, 8, running, new Date());
 * ```
 */
export function nextEvents(
  window: readonly { id: number; conversationKey: string; leaseUntil: Date | null }[],
  limit: number,
  busy: ReadonlySet<string>,
  now: Date,
): number[] {
  const seen = new Set<string>();
  const ids: number[] = [];
  for (const row of window) {
    if (ids.length >= limit) break;
    if (seen.has(row.conversationKey)) continue;
    seen.add(row.conversationKey);
    if (busy.has(row.conversationKey) || (row.leaseUntil && row.leaseUntil > now)) continue;
    ids.push(row.id);
  }
  return ids;
}

/**
 * The replies that can leave now, by customer, from unsent rows in id order:
 * the due, unleased rows at the head of each customer's queue (a reply
 * waiting for a retry or held by a sender holds back the later ones), at most
 * {@link OUTBOX_PER_CUSTOMER} each, at most `limit` customers. Times are
 * `Date`s, or ISO 8601 texts of one format, which compare as they sort (a
 * store that reads them as text need not parse every row it scans).
 *
 * @example
 * ```ts
 * const byCustomer = sendableReplies(pending, 64, new Date()); // 'whatsapp|shop|5511…' → [ids]
 * ```
 */
export function sendableReplies<Time extends Date | string>(
  pending: readonly { id: number; channel: string; botId: string; customerId: string; nextAttemptAt: Time; leaseUntil: Time | null }[],
  limit: number,
  now: Time,
): Map<string, number[]> {
  const blocked = new Set<string>();
  const wanted = new Map<string, number[]>();
  for (const row of pending) {
    const key = `${row.channel}|${row.botId}|${row.customerId}`;
    if (blocked.has(key)) continue;
    if (row.nextAttemptAt > now || (row.leaseUntil && row.leaseUntil >= now)) {
      blocked.add(key);
      continue;
    }
    const ids = wanted.get(key) ?? [];
    if ((ids.length === 0 && wanted.size >= limit) || ids.length >= OUTBOX_PER_CUSTOMER) continue;
    ids.push(row.id);
    wanted.set(key, ids);
  }
  return wanted;
}

/**
 * How many unsent rows a claim reads first: about what `limit` customers'
 * replies take. Under a backlog the head of the queue is enough; more is read
 * only when it is not (see {@link nextOutboxPage}).
 *
 * @example
 * ```ts
 * firstOutboxPage(16); // 64
 * ```
 */
export const firstOutboxPage = (limit: number): number => Math.min(OUTBOX_SCAN, Math.max(64, limit * OUTBOX_PER_CUSTOMER));

/**
 * How many more unsent rows a claim reads after a page (0: none): more while
 * fewer than `limit` customers have a reply to send, the last page was full
 * (there may be more) and fewer than {@link OUTBOX_SCAN} rows were read.
 * Replies held by a sender or waiting for a retry can fill the head of the
 * queue; the next page, twice as large, looks past them.
 *
 * @example
 * ```ts
 * nextOutboxPage({ read: 64, asked: 64, got: 64 }, 3, 16); // 128
 * nextOutboxPage({ read: 64, asked: 64, got: 40 }, 3, 16); // 0: nothing more is unsent
 * ```
 */
export function nextOutboxPage(scan: { read: number; asked: number; got: number }, customers: number, limit: number): number {
  if (customers >= limit || scan.got < scan.asked || scan.read >= OUTBOX_SCAN) return 0;
  return Math.min(OUTBOX_SCAN - scan.read, scan.asked * 2);
}

/**
 * The one customer whose replies `rows` are (leased replies are written a
 * customer at a time, see `ConversationStore.appendLeased`); throws for none or several.
 *
 * @example
 * ```ts
 * const { channel, botId, customerId } = customerOfReplies(rows);
 * ```
 */
export function customerOfReplies(rows: readonly { channel: string; botId: string; customerId: string }[]): { channel: string; botId: string; customerId: string } {
  const [first] = rows;
  if (!first || rows.some((r) => r.channel !== first.channel || r.botId !== first.botId || r.customerId !== first.customerId)) {
    throw new VitrineError('VT_ERR_INTERNAL', 'Leased replies are appended for one customer at a time');
  }
  return { channel: first.channel, botId: first.botId, customerId: first.customerId };
}
