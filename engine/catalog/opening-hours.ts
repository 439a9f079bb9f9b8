import { z } from 'zod';

/** The days of the week as a business's `hours` names them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One of {@link WEEKDAYS}. */
export type Weekday = (typeof WEEKDAYS)[number];

const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** Minutes since midnight of `HH:MM`. */
const minutesOf = (hh: string, mm: string): number => Number(hh) * 60 + Number(mm);

/** A day's opening times: `"07:00-12:00, 14:00-19:00"`, or `closed`. */
const daySchema = z.string().superRefine((text, ctx) => {
  if (text.trim() === 'closed') return;
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = RANGE.exec(part);
    if (!m || minutesOf(m[3]!, m[4]!) <= minutesOf(m[1]!, m[2]!)) {
      ctx.addIssue({ code: 'custom', message: `expected opening times like "07:00-12:00, 14:00-19:00" (each ending after it starts) or "closed", got "${part}"` });
      return;
    }
  }
});

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/**
 * A business's opening hours, as written in its file: the time zone they
 * are in, each day's times (a day left out is closed), and whether it takes
 * orders while closed, to prepare when it opens (default yes).
 *
 * @example
 * ```yaml
 * hours:
 *   timeZone: America/Sao_Paulo
 *   mon: "07:00-19:00"
 *   sat: "08:00-12:00, 14:00-18:00"
 *   sun: closed
 *   ordersWhenClosed: false
 * ```
 */
export const openingHoursSchema = z.object({
  timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone like "America/Sao_Paulo" or "Europe/London"'),
  ...Object.fromEntries(WEEKDAYS.map((d) => [d, daySchema.optional()])) as Record<Weekday, z.ZodOptional<typeof daySchema>>,
  ordersWhenClosed: z.boolean().default(true),
}).strict();

/** A business's opening hours. */
export type OpeningHours = z.infer<typeof openingHoursSchema>;

/** The local weekday, date and minutes of `date` in `timeZone`. */
function localParts(date: Date, timeZone: string): { weekday: Weekday; year: number; month: number; day: number; minutes: number } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date).map((p) => [p.type, p.value]));
  return {
    weekday: String(parts['weekday']).toLowerCase().slice(0, 3) as Weekday,
    year: Number(parts['year']), month: Number(parts['month']), day: Number(parts['day']),
    minutes: Number(parts['hour']) * 60 + Number(parts['minute']),
  };
}

/** The instant of a local date and time in `timeZone` (daylight saving included). */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const local = localParts(new Date(guess), timeZone);
    const seen = Date.UTC(local.year, local.month - 1, local.day, 0, local.minutes);
    guess += wall - seen;
  }
  return new Date(guess);
}

/** A day's ranges in minutes, `[]` when closed or not named. */
function rangesOf(hours: OpeningHours, day: Weekday): [number, number][] {
  const text = hours[day];
  if (!text || text.trim() === 'closed') return [];
  return text.split(',').map((p) => {
    const m = RANGE.exec(p.trim())!;
    return [minutesOf(m[1]!, m[2]!), minutesOf(m[3]!, m[4]!)];
  });
}

/**
 * Whether a business is open at `now`, and when closed, when it opens next
 * (within a week; none when no day has times).
 *
 * @example
 * ```ts
 * openingAt({ timeZone: 'America/Sao_Paulo', mon: '07:00-19:00', ordersWhenClosed: true }, new Date('2026-12-07T23:30:00Z'));
 * // { open: false, opensAt: 2026-12-14T10:00:00.000Z }
 * ```
 */
export function openingAt(hours: OpeningHours, now: Date): { open: true } | { open: false; opensAt?: Date } {
  const today = localParts(now, hours.timeZone);
  if (rangesOf(hours, today.weekday).some(([start, end]) => today.minutes >= start && today.minutes < end)) return { open: true };
  for (let ahead = 0; ahead <= 7; ahead++) {
    const local = localParts(new Date(now.getTime() + ahead * 86_400_000), hours.timeZone);
    const starts = rangesOf(hours, local.weekday).map(([start]) => start).filter((start) => ahead > 0 || start > today.minutes);
    if (starts.length > 0) return { open: false, opensAt: instantOf(local.year, local.month, local.day, Math.min(...starts), hours.timeZone) };
  }
  return { open: false };
}

/**
 * When a closed business opens, worded for the customer: the weekday and
 * time in the business's time zone, in the customer's locale.
 *
 * @example
 * ```ts
 * opensAtText(new Date('2026-12-14T10:00:00Z'), 'pt-BR', 'America/Sao_Paulo'); // 'segunda-feira, 07:00'
 * ```
 */
export function opensAtText(opensAt: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(opensAt);
}

/**
 * What a customer arriving at a closed business hears: when it opens, and
 * whether it takes orders meanwhile (texts `hours.closed`,
 * `hours.closedTakesOrders` / `hours.closedNoOrders`). Nothing while it is
 * open or has no hours.
 *
 * @example
 * ```ts
 * const notice = closedNotice(business, clock.now(), t, 'pt-BR');
 * // 'Padaria São Jorge está fechada agora: abre segunda-feira, 07:00. Você pode fazer o pedido agora; …'
 * ```
 */
export function closedNotice(
  business: { name: string; hours?: OpeningHours }, now: Date, t: (key: string, values?: Record<string, unknown>) => string, locale: string,
): string | undefined {
  const when = whenItOpens(business.hours, now, t, locale);
  if (when === undefined || !business.hours) return undefined;
  return t(business.hours.ordersWhenClosed ? 'hours.closedTakesOrders' : 'hours.closedNoOrders', { name: business.name, when });
}

/** "it opens Monday, 07:00" for a closed business, `undefined` while it is open or has no hours. */
function whenItOpens(hours: OpeningHours | undefined, now: Date, t: (key: string, values?: Record<string, unknown>) => string, locale: string): string | undefined {
  if (!hours) return undefined;
  const state = openingAt(hours, now);
  if (state.open) return undefined;
  return state.opensAt ? t('hours.opens', { when: opensAtText(state.opensAt, locale, hours.timeZone) }) : t('hours.opensNotSoon');
}

/**
 * Why a checkout is refused at `now`: the business is closed and takes no
 * orders while closed (`ordersWhenClosed: false`), worded with when it
 * opens; `undefined` when the order may be placed.
 *
 * @example
 * ```ts
 * const refusal = closedForOrders(business, clock.now(), t, locale);
 * if (refusal) return { replies: [{ kind: 'text', text: refusal }], outcome: 'empty' };
 * ```
 */
export function closedForOrders(
  business: { name: string; hours?: OpeningHours }, now: Date, t: (key: string, values?: Record<string, unknown>) => string, locale: string,
): string | undefined {
  if (!business.hours || business.hours.ordersWhenClosed) return undefined;
  const when = whenItOpens(business.hours, now, t, locale);
  return when === undefined ? undefined : t('hours.checkoutClosed', { name: business.name, when });
}

/** The text keys {@link closedNotice} and a refused checkout use. */
export const OPENING_HOURS_TEXT_KEYS = ['hours.opens', 'hours.opensNotSoon', 'hours.closedTakesOrders', 'hours.closedNoOrders', 'hours.checkoutClosed'] as const;
