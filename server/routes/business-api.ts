import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ORDER_STATUSES, orderFulfilment, VitrineError, type FulfilmentColumns, type OrderFulfilment, type OrderStatus } from '../../engine/index.ts';
import { orderStatusOf } from '../../engine/orders/order-machine.ts';
import { markOrder, refundPayment, shopMarkNotice, SHOP_EVENT_NOTICES, SHOP_MARKS } from '../../engine/orders/shop-marks.ts';
import { callerBusiness } from './api-caller.ts';
import { dashboardApiRoutes, orderFilters, ORDER_FILTER_HELP, staffOrderView, STAFF_VIEW_EVENTS } from './dashboard-api.ts';
import { safeEqual } from '../../adapters/kit/index.ts';
import type { ServerConfig } from '../config.ts';
import type { Runtime } from '../runtime.ts';
import { reloadBotFiles } from '../bot-reload.ts';
import { conversationRoutes } from './conversation-api.ts';

/** Options of {@link businessApiRoutes}. */
export interface BusinessApiOptions {
  runtime: Runtime;
  config: ServerConfig;
}

/** The SHA-256 (hex) of an API key: what the `ApiKey` table stores. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const listQuery = z.object({ status: z.enum(ORDER_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), ...orderFilters.shape });
/** The statuses a business may set (the shop's marks; `paid` approves an order held for review, or records a payment the shop took itself). */
const statusBody = z.object({ status: z.enum(SHOP_MARKS) });

type Caller = { kind: 'business'; businessId: string; botId: string; keyId: string } | { kind: 'admin' };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called the business API (set by its auth hook). */
    apiCaller?: Caller;
  }
}


/** What the order views read: lines, payments and the events (those that flag an extra payment; all of them, its `history`). */
const ORDER_VIEW_INCLUDE = {
  items: true,
  payments: { orderBy: { createdAt: 'asc' } },
  events: STAFF_VIEW_EVENTS,
  customer: { select: { name: true, phone: true, channel: true } },
} as const;

/** The payment refs an order's `extra_payment` events name. */
function extraRefs(events: { type: string; detail: string | null }[]): Set<string> {
  const refs = new Set<string>();
  for (const e of events.filter((event) => event.type === 'extra_payment')) {
    try {
      const ref: unknown = (JSON.parse(e.detail ?? '{}') as { providerRef?: unknown }).providerRef;
      if (typeof ref === 'string') refs.add(ref);
    } catch {
      // A detail that is not JSON names no payment.
    }
  }
  return refs;
}

/** A payment of an order as the business API shows it. */
export interface PaymentView {
  ref: string;
  status: string;
  amountMinor: number;
  currency: string;
  createdAt: string;
  /** A payment beyond the one the order needed (another amount, or after it stopped awaiting payment). */
  extra: boolean;
}

/** An order as the business API answers it (`GET /api/v1/orders/:number`, each of `GET /api/v1/orders`). */
export interface OrderView {
  number: string;
  status: OrderStatus;
  totalMinor: number;
  currency: string;
  locale: string;
  provider: string;
  createdAt: string;
  updatedAt: string;
  items: { sku: string; name: string; quantity: number; unitPriceMinor: number; lineTotalMinor: number }[];
  payments: PaymentView[];
  /** `extra_payment`: an extra payment is still held and the shop should refund it. */
  flags: 'extra_payment'[];
  /** Who ordered: the name and phone given at checkout (else as the channel knows them), and their channel. */
  customer: { name: string | null; phone: string | null; channel: string };
  /** How it reaches the customer (`feeMinor` is part of `totalMinor`); `null` when the business asks nothing of it. */
  fulfilment: OrderFulfilment | null;
}

function orderView(order: {
  number: string; status: string; totalMinor: number; currency: string; locale: string; provider: string; createdAt: Date; updatedAt: Date;
  items: { sku: string; name: string; quantity: number; unitPriceMinor: number; lineTotalMinor: number }[];
  payments: { providerRef: string; status: string; amountMinor: number; currency: string; createdAt: Date }[];
  events: { type: string; detail: string | null }[];
  customer: { name: string | null; phone: string | null; channel: string };
} & Omit<FulfilmentColumns, 'fulfilment'> & { fulfilment: string | null }): OrderView {
  const extra = extraRefs(order.events);
  const payments = order.payments.map((p) => ({
    ref: p.providerRef, status: p.status, amountMinor: p.amountMinor, currency: p.currency, createdAt: p.createdAt.toISOString(), extra: extra.has(p.providerRef),
  }));
  return {
    number: order.number, status: orderStatusOf(order.status), totalMinor: order.totalMinor, currency: order.currency, locale: order.locale,
    provider: order.provider, createdAt: order.createdAt.toISOString(), updatedAt: order.updatedAt.toISOString(),
    items: order.items.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity, unitPriceMinor: i.unitPriceMinor, lineTotalMinor: i.lineTotalMinor })),
    payments,
    // An extra payment still held: the shop should refund it.
    flags: payments.some((p) => p.extra && p.status === 'succeeded') ? ['extra_payment'] : [],
    customer: { name: order.customerName ?? order.customer.name, phone: order.customerPhone ?? order.customer.phone, channel: order.customer.channel },
    fulfilment: orderFulfilment(order),
  };
}

/**
 * The business JSON API under `/api/v1`, authenticated by
 * `Authorization: Bearer <key>` (keys from `npm run api-key`, stored hashed):
 * list and read the key's business's orders (with their payments, and `flags`
 * naming an extra payment to refund), move an order's status, refund one
 * payment, reload a bot (the admin token any bot; a business key only a bot
 * whose only business is its own).
 * Failures are thrown as `VitrineError`s and answered by the app's error handler
 * (`VT_ERR_API_KEY_INVALID` 401, `VT_ERR_API_FORBIDDEN` 403, `VT_ERR_ORDER_UNKNOWN` 404 …);
 * another business's order is a 404, like a missing one. Requests are counted
 * per client address and per key (`config.apiRateLimit`); over either budget
 * they get `VT_ERR_API_RATE_LIMITED` (429) with `Retry-After`.
 *
 * @example
 * ```ts
 * await app.register(businessApiRoutes, { runtime, config });
 * // curl -H "Authorization: Bearer $KEY" http://127.0.0.1:3000/api/v1/orders?status=paid
 * ```
 */
export const businessApiRoutes: FastifyPluginAsync<BusinessApiOptions> = async (app, { runtime, config }) => {
  const { db } = runtime;
  /** An order's view with what the staff dashboard reads: its history and the shop's marks valid for it. */
  const staffView = (order: Parameters<typeof orderView>[0] & Parameters<typeof staffOrderView>[1]) => staffOrderView(orderView(order), order, runtime.payments);

  await app.register(async (api) => {
    const { perKey, perAddress, windowMs } = config.apiRateLimit;
    await api.register(rateLimit, {
      global: false,
      timeWindow: windowMs,
      errorResponseBuilder: (_request, context) => new VitrineError('VT_ERR_API_RATE_LIMITED', `Too many requests; try again in ${context.after}`),
    });
    // Every request counts against its address (wrong keys too), before the key is even looked up.
    api.addHook('onRequest', api.rateLimit({ max: perAddress, keyGenerator: (request) => `address:${request.ip}` }));
    api.addHook('onRequest', async (request: FastifyRequest) => {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) throw new VitrineError('VT_ERR_API_KEY_INVALID', 'Send an API key as "Authorization: Bearer <key>"');
      const key = match[1];
      if (config.adminToken && safeEqual(key, config.adminToken)) {
        request.apiCaller = { kind: 'admin' };
        return;
      }
      const row = await db.apiKey.findUnique({ where: { hash: hashApiKey(key) }, include: { business: { select: { botId: true } } } });
      if (!row) throw new VitrineError('VT_ERR_API_KEY_INVALID', 'The API key is not valid');
      request.apiCaller = { kind: 'business', businessId: row.businessId, botId: row.business.botId, keyId: row.id };
    });
    // Then each valid key (or the admin token) against its own budget, whatever address it comes from.
    const keyBudget = api.createRateLimit({
      max: perKey,
      keyGenerator: (request) => (request.apiCaller?.kind === 'business' ? `key:${request.apiCaller.keyId}` : 'key:admin'),
    });
    api.addHook('onRequest', async (request, reply) => {
      const spent = await keyBudget(request);
      if (spent.isAllowed || !spent.isExceeded) return;
      reply.header('retry-after', spent.ttlInSeconds);
      throw new VitrineError('VT_ERR_API_RATE_LIMITED', `Too many requests with this key; try again in ${spent.ttlInSeconds} s`);
    });

    /**
     * The order, if the caller may see it. Another business's order is answered
     * exactly like a missing one, so a key cannot probe order numbers.
     */
    async function findOrder(request: FastifyRequest<{ Params: { number: string } }>) {
      const caller = request.apiCaller;
      const { number } = request.params;
      const order = await db.order.findUnique({ where: { number }, include: ORDER_VIEW_INCLUDE });
      if (!order || (caller?.kind !== 'admin' && caller?.businessId !== order.businessId)) throw new VitrineError('VT_ERR_ORDER_UNKNOWN', `No order ${number}`);
      return order;
    }

    /**
     * Whether the caller may reload bot `botId`: the admin token may reload any
     * loaded bot; a business key only its own bot, and only when its business is
     * the bot's only business (a key of one shop of a directory cannot reload
     * the other shops). Refusals do not say whether the bot exists.
     */
    async function mayReload(caller: Caller | undefined, botId: string): Promise<boolean> {
      if (caller?.kind === 'admin') return true;
      if (caller?.botId !== botId) return false;
      return (await db.business.count({ where: { botId, id: { not: caller.businessId } } })) === 0;
    }

    api.get('/orders', async (request) => {
      const businessId = callerBusiness(request, 'Listing orders');
      const query = listQuery.safeParse(request.query);
      if (!query.success) throw new VitrineError('VT_ERR_REQUEST_INVALID', `status must be one of ${ORDER_STATUSES.join(', ')}; limit 1 to 200; ${ORDER_FILTER_HELP}`);
      const orders = await db.order.findMany({
        where: { businessId, ...(query.data.status ? { status: query.data.status } : {}), ...orderFilters.where(query.data) },
        include: ORDER_VIEW_INCLUDE, orderBy: { createdAt: 'desc' }, take: query.data.limit,
      });
      return { orders: orders.map(staffView) };
    });

    api.get<{ Params: { number: string } }>('/orders/:number', async (request) => staffView(await findOrder(request)));

    api.post<{ Params: { number: string } }>('/orders/:number/status', async (request) => {
      const body = statusBody.safeParse(request.body);
      if (!body.success) throw new VitrineError('VT_ERR_REQUEST_INVALID', `Send {"status": one of ${SHOP_MARKS.join(', ')}}`);
      const order = await findOrder(request);
      const caller = request.apiCaller;
      const mark = body.data.status;
      // A refund the provider refuses is a VT_ERR_PAYMENT_PROVIDER (502) and changes nothing; a provider
      // that confirms its payments itself refuses `paid` with VT_ERR_ORDER_PAID_BY_PROVIDER (409).
      const change = await markOrder({ db, providers: runtime.payments, logger: runtime.logger }, order.number, mark);
      if (!change.applied) {
        throw new VitrineError('VT_ERR_ORDER_TRANSITION', `Order ${order.number} is ${change.from}: it cannot be marked ${mark}`);
      }
      request.log.info({ order: order.number, from: change.from, to: change.to, by: caller?.kind === 'business' ? `api-key:${caller.keyId}` : 'admin' }, 'order status changed');
      // The customer hears of it in their chat, once: an event into the journal, the reply through the outbox.
      await runtime.engine.notify(change.conversationId, ...shopMarkNotice(change));
      const updated = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: ORDER_VIEW_INCLUDE });
      return staffView(updated);
    });

    // One payment given back, e.g. an extra one from a replaced payment page; the order stays paid by the others.
    api.post<{ Params: { number: string; ref: string } }>('/orders/:number/payments/:ref/refund', async (request) => {
      const order = await findOrder(request);
      const refund = await refundPayment({ db, providers: runtime.payments }, order.number, request.params.ref);
      const caller = request.apiCaller;
      request.log.info({ order: order.number, payment: request.params.ref, orderRefunded: refund.orderRefunded, by: caller?.kind === 'business' ? `api-key:${caller.keyId}` : 'admin' }, 'payment refunded');
      if (refund.orderRefunded) {
        await runtime.engine.notify(refund.conversationId, { kind: 'system', event: SHOP_EVENT_NOTICES.refunded, data: { orderId: refund.orderId } }, { eventId: `${SHOP_EVENT_NOTICES.refunded}:${refund.orderId}` });
      }
      return staffView(await db.order.findUniqueOrThrow({ where: { id: order.id }, include: ORDER_VIEW_INCLUDE }));
    });

    // The staff dashboard's reports (funnel, searches that found nothing), behind the same keys and budgets.
    await api.register(dashboardApiRoutes, { runtime });

    api.post<{ Params: { botId: string } }>('/bots/:botId/reload', async (request) => {
      const { botId } = request.params;
      if (!(await mayReload(request.apiCaller, botId))) {
        throw new VitrineError('VT_ERR_API_FORBIDDEN', `The key may not reload bot ${botId}: only the admin token, or the key of a bot's only business, may`);
      }
      // An invalid bot folder is a ConfigError: VT_ERR_CONFIG_INVALID (422) listing every problem; the running bot stays.
      const report = await reloadBotFiles({ engine: runtime.engine, db }, botId);
      request.log.info({ botId, updated: report.updated.length }, 'bot reloaded');
      return { botId, updated: report.updated, unchanged: report.unchanged, deactivated: report.deactivated };
    });

    // Conversations and hand-offs to a person (docs/handoff.md), behind the same keys and budgets.
    conversationRoutes(api, runtime);
  }, { prefix: '/api/v1' });
};
