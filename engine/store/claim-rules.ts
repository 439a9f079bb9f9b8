/**
 * Which journal events and which replies a worker may take next: the rules
 * every {@link ConversationStore} applies to the rows it reads, whatever the
 * database.
 */

/** How many of the oldest unfinished events a claim looks at to find conversations to run. */
export const JOURNAL_WINDOW = 256;
/** How many unsent replies a claim looks at to find each customer's next ones. */
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
