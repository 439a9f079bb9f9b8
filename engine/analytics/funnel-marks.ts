import type { DbClient } from '../db/db-client.ts';
import { plainQuery } from '../db/plain-query.ts';
import type { Clock } from '../services.ts';

/**
 * The stages of the sales funnel, in order: the conversation found the
 * business (picked it in the directory or opened its link), viewed one of its
 * products, added one to the cart, checked out (an order was placed), paid.
 */
export const FUNNEL_STAGES = ['found', 'viewed', 'added', 'checkout', 'paid'] as const;

/** A stage from {@link FUNNEL_STAGES}. */
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** The longest search text kept by {@link recordUnfoundSearch}. */
export const UNFOUND_QUERY_MAX = 60;

/** The UTC day of a time, as `YYYY-MM-DD`: the funnel's and the unfound searches' day. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

// One statement each, prepared once per connection: a turn pays one indexed insert-or-ignore per stage it reaches.
const MARK_SQL = 'INSERT INTO "FunnelMark" ("businessId", "conversationId", "stage", "day") VALUES ($1, $2, $3, $4) ' +
  'ON CONFLICT DO NOTHING RETURNING "stage"';
const UNFOUND_SQL = 'INSERT INTO "UnfoundSearch" ("businessId", "day", "query", "count") VALUES ($1, $2, $3, 1) ' +
  'ON CONFLICT ("businessId", "day", "query") DO UPDATE SET "count" = "UnfoundSearch"."count" + 1 RETURNING "count"';

/**
 * Records that a conversation reached a stage of a business's funnel today
 * (UTC): one row per conversation, business, stage and day, so the same
 * stage reached again the same day costs one ignored insert. Runs in the
 * transaction of `db` (the turn's), so a turn that fails leaves no mark.
 *
 * @example
 * ```ts
 * await markFunnel(ctx.services.db, ctx.services.clock, { businessId, conversationId, stage: 'viewed' });
 * ```
 */
export async function markFunnel(db: DbClient, clock: Clock, mark: { businessId: string; conversationId: string; stage: FunnelStage }): Promise<void> {
  await plainQuery(db, MARK_SQL, [mark.businessId, mark.conversationId, mark.stage, utcDay(clock.now())]);
}

/**
 * The form a product search is counted under: lower case, one space
 * between words, at most {@link UNFOUND_QUERY_MAX} characters; empty when
 * nothing is left.
 *
 * @example
 * ```ts
 * unfoundQuery('  Gluten-Free   BREAD '); // 'gluten-free bread'
 * ```
 */
export function unfoundQuery(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase().replace(/\s+/g, ' ').trim().slice(0, UNFOUND_QUERY_MAX).trim();
}

/**
 * Counts a product search at a business that found nothing (today, UTC), for
 * the shop's "searched, not found" list. Only searches that found nothing are
 * written, so a turn that found something pays nothing.
 *
 * @example
 * ```ts
 * if (found.length === 0) await recordUnfoundSearch(ctx.services.db, ctx.services.clock, businessId, query);
 * ```
 */
export async function recordUnfoundSearch(db: DbClient, clock: Clock, businessId: string, text: string): Promise<void> {
  const query = unfoundQuery(text);
  if (query !== '') await plainQuery(db, UNFOUND_SQL, [businessId, utcDay(clock.now()), query]);
}
