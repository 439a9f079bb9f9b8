import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FULFILMENT_METHODS, funnelByDay, offeredMethods, ORDER_STATUSES, readFulfilment, unfoundSearches, VitrineError, type OrderStatus } from '../../engine/index.ts';
import type { Prisma } from '../../engine/db/generated/client.ts';
import { orderStatusOf } from '../../engine/orders/order-machine.ts';
import { validShopMarks, type ShopMark } from '../../engine/orders/shop-marks.ts';
import type { PaymentProvider } from '../../engine/payments/payment-provider.ts';
import type { Runtime } from '../runtime.ts';
import { callerBusiness } from './api-caller.ts';

/** A day (`2026-12-05`, the whole UTC day) or a time with its offset (`2026-12-05T03:00:00.000Z`). */
const dayOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const DAY_MS = 86_400_000;

/** The filters of {@link orderFilters}, as parsed from the query. */
export interface OrderFilterValues {
  from?: string | undefined;
  to?: string | undefined;
  fulfilment?: (typeof FULFILMENT_METHODS)[number] | undefined;
}

/** The start of `value`'s range: a day starts at its UTC midnight. */
const startOf = (value: string): Date => new Date(value.length === 10 ? `${value}T00:00:00.000Z` : value);

/**
 * The filters `GET /api/v1/orders` takes beside `status`: `from` and `to`
 * (ISO days, both included, or times with an offset) on when the order was
 * placed, and `fulfilment` (`pickup`, `delivery`, `dine-in`). `shape` joins
 * the route's query schema; `where` is the Prisma condition of the values.
 *
 * @example
 * ```ts
 * const query = z.object({ limit: z.coerce.number(), ...orderFilters.shape }).parse(request.query);
 * await db.order.findMany({ where: { businessId, ...orderFilters.where(query) } });
 * ```
 */
export const orderFilters = {
  shape: { from: dayOrTime.optional(), to: dayOrTime.optional(), fulfilment: z.enum(FULFILMENT_METHODS).optional() },
  where(values: OrderFilterValues): Prisma.OrderWhereInput {
    const createdAt = {
      ...(values.from ? { gte: startOf(values.from) } : {}),
      // A day includes all of it: up to the next day's midnight.
      ...(values.to ? (values.to.length === 10 ? { lt: new Date(startOf(values.to).getTime() + DAY_MS) } : { lte: startOf(values.to) }) : {}),
    };
    // `Order.fulfilment` holds the method of orders whose business asks for one.
    const fulfilment: Record<string, string> = values.fulfilment ? { fulfilment: values.fulfilment } : {};
    return { ...(values.from || values.to ? { createdAt } : {}), ...fulfilment };
  },
};

/** What `GET /api/v1/orders` says of its filters when a value is wrong. */
export const ORDER_FILTER_HELP = `from and to are ISO days (2026-12-05) or times with an offset; fulfilment is one of ${FULFILMENT_METHODS.join(', ')}`;

/** The order events the staff views read (all of them, oldest first). */
export const STAFF_VIEW_EVENTS = {
  orderBy: { createdAt: 'asc' }, select: { type: true, fromState: true, toState: true, applied: true, detail: true, createdAt: true },
} as const;

/** One step of an order's history: an event that moved it (or was recorded, like an extra payment). */
export interface OrderHistoryEntry {
  type: string;
  from: string;
  to: string;
  at: string;
}

/** What the staff views add to an order's view: its history and the shop's marks valid for it now. */
export interface StaffOrderFields {
  /** The events that applied, oldest first (`created` first). */
  history: OrderHistoryEntry[];
  /** The shop's marks the order machine accepts now (`POST /api/v1/orders/:number/status`). */
  marks: ShopMark[];
}

/**
 * An order's view with its history and the shop's marks valid for its status
 * and provider (see `validShopMarks`).
 *
 * @example
 * ```ts
 * const view = staffOrderView(orderView(order), order, runtime.payments); // view.marks: ['paid', 'cancelled']
 * ```
 */
export function staffOrderView<V extends { status: OrderStatus }>(
  view: V, order: { provider: string; fulfilment: string | null; events: { type: string; fromState: string; toState: string; applied: boolean; createdAt: Date }[] },
  providers: readonly PaymentProvider[],
): V & StaffOrderFields {
  const paidByShop = providers.find((p) => p.id === order.provider)?.paidByShop === true;
  return {
    ...view,
    history: order.events.filter((e) => e.applied).map((e) => ({ type: e.type, from: e.fromState, to: e.toState, at: e.createdAt.toISOString() })),
    marks: validShopMarks(orderStatusOf(view.status), { paidByShop }, order.fulfilment),
  };
}

const reportQuery = z.object({ days: z.coerce.number().int().min(1).max(92).default(14), limit: z.coerce.number().int().min(1).max(100).default(20) });

function parseReport(request: FastifyRequest) {
  const query = reportQuery.safeParse(request.query);
  if (!query.success) throw new VitrineError('VT_ERR_REQUEST_INVALID', 'days must be 1 to 92; limit 1 to 100');
  return query.data;
}

/**
 * The staff dashboard's reads, registered inside the business API (its
 * keys, its budgets): `GET /business` (the key's business: name, slug, city,
 * currency, locale; and the order statuses and fulfilment methods to filter by), `GET /funnel?days=14` (per UTC day, the conversations
 * its bot started, and those that found the business, viewed a product, added
 * to the cart, checked out and paid) and `GET /searches/unfound?days=14&limit=20` (the product
 * searches at the business that found nothing, most searched first).
 *
 * @example
 * ```ts
 * await api.register(dashboardApiRoutes, { runtime }); // inside the authenticated /api/v1 context
 * ```
 */
export const dashboardApiRoutes: FastifyPluginAsync<{ runtime: Pick<Runtime, 'db'> }> = async (api, { runtime }) => {
  const { db } = runtime;
  api.get('/business', async (request) => {
    const businessId = callerBusiness(request, 'Reading the business');
    const { fulfilment, ...business } = await db.business.findUniqueOrThrow({ where: { id: businessId }, select: { name: true, slug: true, city: true, currency: true, locale: true, fulfilment: true } });
    // The page's filters list what the server knows, not a copy of its own: the ways this business offers.
    const offered = readFulfilment(fulfilment, business.currency);
    const fulfilmentMethods = offered ? offeredMethods(offered) : [];
    return { business, orderStatuses: ORDER_STATUSES, fulfilmentMethods };
  });
  api.get('/funnel', async (request) => {
    const businessId = callerBusiness(request, 'The funnel');
    const { days } = parseReport(request);
    return { days: await funnelByDay(db, businessId, { days, now: new Date() }) };
  });
  api.get('/searches/unfound', async (request) => {
    const businessId = callerBusiness(request, 'The searches that found nothing');
    const { days, limit } = parseReport(request);
    return { searches: await unfoundSearches(db, businessId, { days, now: new Date(), limit }) };
  });
};
