import type { DbClient } from '../db/db-client.ts';
import { FUNNEL_STAGES, utcDay, type FunnelStage } from './funnel-marks.ts';

/**
 * One day of a business's funnel: the conversations its bot started that day
 * (`started`: in a directory, every conversation of the directory), and how
 * many conversations reached each stage at the business that day.
 */
export type FunnelDay = { day: string; started: number } & Record<FunnelStage, number>;

/** A search text that found nothing, and how many times it was searched. */
export interface UnfoundSearchCount {
  query: string;
  count: number;
}

const DAY_MS = 86_400_000;

/** The UTC days from `days - 1` days before `now` to `now`'s, oldest first. */
export function lastDays(now: Date, days: number): string[] {
  return Array.from({ length: days }, (_, i) => utcDay(new Date(now.getTime() - (days - 1 - i) * DAY_MS)));
}

/**
 * A business's funnel for each of the last `days` UTC days (today
 * included, oldest first, days without a conversation at zero): the
 * conversations its bot started, and those that found it, viewed a product,
 * added to the cart, checked out and paid on that day.
 *
 * @example
 * ```ts
 * const days = await funnelByDay(db, businessId, { days: 14, now: new Date() });
 * days.at(-1); // { day: '2026-12-05', started: 20, found: 12, viewed: 9, added: 4, checkout: 3, paid: 2 }
 * ```
 */
export async function funnelByDay(db: DbClient, businessId: string, range: { days: number; now: Date }): Promise<FunnelDay[]> {
  const days = lastDays(range.now, range.days);
  const rows = await db.funnelMark.groupBy({
    by: ['day', 'stage'], where: { businessId, day: { gte: days[0] ?? '' } }, _count: { _all: true },
  });
  const started = await startedByDay(db, businessId, days);
  const byDay = new Map(days.map((day, i) => [day, { day, started: started[i] ?? 0, ...Object.fromEntries(FUNNEL_STAGES.map((s) => [s, 0])) } as FunnelDay]));
  for (const row of rows) {
    const entry = byDay.get(row.day);
    if (entry && (FUNNEL_STAGES as readonly string[]).includes(row.stage)) entry[row.stage as FunnelStage] = row._count._all;
  }
  return [...byDay.values()];
}

/** The conversations the business's bot started on each UTC day of `days`: one count of the `(botId, createdAt)` index per day. */
async function startedByDay(db: DbClient, businessId: string, days: readonly string[]): Promise<number[]> {
  const business = await db.business.findUnique({ where: { id: businessId }, select: { botId: true } });
  if (!business) return days.map(() => 0);
  return Promise.all(days.map((day) => {
    const from = new Date(`${day}T00:00:00.000Z`);
    return db.conversation.count({ where: { botId: business.botId, createdAt: { gte: from, lt: new Date(from.getTime() + DAY_MS) } } });
  }));
}

/**
 * The product searches at a business that found nothing in the last `days`
 * UTC days, most searched first (ties alphabetically), at most `limit`.
 *
 * @example
 * ```ts
 * await unfoundSearches(db, businessId, { days: 14, now: new Date(), limit: 20 }); // [{ query: 'sourdough', count: 3 }]
 * ```
 */
export async function unfoundSearches(db: DbClient, businessId: string, range: { days: number; now: Date; limit: number }): Promise<UnfoundSearchCount[]> {
  const since = lastDays(range.now, range.days)[0] ?? '';
  const rows = await db.unfoundSearch.groupBy({
    by: ['query'], where: { businessId, day: { gte: since } }, _sum: { count: true },
    orderBy: [{ _sum: { count: 'desc' } }, { query: 'asc' }], take: range.limit,
  });
  return rows.map((r) => ({ query: r.query, count: r._sum.count ?? 0 }));
}
