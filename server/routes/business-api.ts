import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ConfigError, formatProblem, isVitrineError, loadBot, markOrder, seedBot, ORDER_STATUSES, SHOP_EVENT_NOTICES, type OrderStatus, type ShopOrderEvent,
} from '../../engine/index.ts';
import { safeEqual } from '../../adapters/kit/index.ts';
import type { ServerConfig } from '../config.ts';
import type { Runtime } from '../runtime.ts';

/** Options of {@link businessApiRoutes}. */
export interface BusinessApiOptions {
  runtime: Runtime;
  config: ServerConfig;
}

/** The SHA-256 (hex) of an API key: what the `ApiKey` table stores. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Statuses a business may set through the API, and the order machine event
 * each one is (`paid` approves an order held for review).
 */
const STATUS_EVENTS = { fulfilled: 'fulfilled', shipped: 'shipped', refunded: 'refunded', paid: 'approved' } as const satisfies Partial<Record<OrderStatus, ShopOrderEvent>>;

/** What the customer is told for each event. */
const listQuery = z.object({ status: z.enum(ORDER_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
const statusBody = z.object({ status: z.enum(Object.keys(STATUS_EVENTS) as [keyof typeof STATUS_EVENTS]) });

type Caller = { kind: 'business'; businessId: string; botId: string; keyId: string } | { kind: 'admin' };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called the business API (set by its auth hook). */
    apiCaller?: Caller;
  }
}

const problem = (reply: FastifyReply, status: number, error: string, message: string) => reply.code(status).send({ error, message });

function orderView(order: {
  number: string; status: string; totalMinor: number; currency: string; locale: string; provider: string; createdAt: Date; updatedAt: Date;
  items: { sku: string; name: string; quantity: number; unitPriceMinor: number; lineTotalMinor: number }[];
}) {
  return {
    number: order.number, status: order.status, totalMinor: order.totalMinor, currency: order.currency, locale: order.locale,
    provider: order.provider, createdAt: order.createdAt.toISOString(), updatedAt: order.updatedAt.toISOString(),
    items: order.items.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity, unitPriceMinor: i.unitPriceMinor, lineTotalMinor: i.lineTotalMinor })),
  };
}

/**
 * The business JSON API under `/api/v1`, authenticated by
 * `Authorization: Bearer <key>` (keys from `npm run api-key`, stored hashed):
 * list and read the key's business's orders, move an order's status, reload a bot.
 *
 * @example
 * ```ts
 * await app.register(businessApiRoutes, { runtime, config });
 * // curl -H "Authorization: Bearer $KEY" http://127.0.0.1:3000/api/v1/orders?status=paid
 * ```
 */
export const businessApiRoutes: FastifyPluginAsync<BusinessApiOptions> = async (app, { runtime, config }) => {
  const { db } = runtime;

  await app.register(async (api) => {
    api.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) return problem(reply, 401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
      const key = match[1];
      if (config.adminToken && safeEqual(key, config.adminToken)) {
        request.apiCaller = { kind: 'admin' };
        return;
      }
      const row = await db.apiKey.findUnique({ where: { hash: hashApiKey(key) }, include: { business: { select: { botId: true } } } });
      if (!row) return problem(reply, 401, 'unauthorized', 'The API key is not valid');
      request.apiCaller = { kind: 'business', businessId: row.businessId, botId: row.business.botId, keyId: row.id };
    });

    /** The order if the caller may see it; otherwise the reply is sent. */
    async function findOrder(request: FastifyRequest<{ Params: { number: string } }>, reply: FastifyReply) {
      const order = await db.order.findUnique({ where: { number: request.params.number }, include: { items: true } });
      if (!order) {
        await problem(reply, 404, 'not_found', `No order ${request.params.number}`);
        return undefined;
      }
      const caller = request.apiCaller;
      if (caller?.kind !== 'admin' && caller?.businessId !== order.businessId) {
        await problem(reply, 403, 'forbidden', `Order ${order.number} belongs to another business`);
        return undefined;
      }
      return order;
    }

    api.get('/orders', async (request, reply) => {
      const caller = request.apiCaller;
      if (caller?.kind !== 'business') return problem(reply, 403, 'forbidden', 'Listing orders needs a business key');
      const query = listQuery.safeParse(request.query);
      if (!query.success) return problem(reply, 400, 'bad_request', `status must be one of ${ORDER_STATUSES.join(', ')}; limit 1 to 200`);
      const orders = await db.order.findMany({
        where: { businessId: caller.businessId, ...(query.data.status ? { status: query.data.status } : {}) },
        include: { items: true }, orderBy: { createdAt: 'desc' }, take: query.data.limit,
      });
      return { orders: orders.map(orderView) };
    });

    api.get<{ Params: { number: string } }>('/orders/:number', async (request, reply) => {
      const order = await findOrder(request, reply);
      return order ? orderView(order) : reply;
    });

    api.post<{ Params: { number: string } }>('/orders/:number/status', async (request, reply) => {
      const body = statusBody.safeParse(request.body);
      if (!body.success) return problem(reply, 400, 'bad_request', `Send {"status": one of ${Object.keys(STATUS_EVENTS).join(', ')}}`);
      const order = await findOrder(request, reply);
      if (!order) return reply;
      const caller = request.apiCaller;
      const event = STATUS_EVENTS[body.data.status];
      let change: Awaited<ReturnType<typeof markOrder>>;
      try {
        change = await markOrder({ db, providers: runtime.payments }, order.number, event);
      } catch (err) {
        if (isVitrineError(err, 'VT_ERR_PAYMENT_PROVIDER')) return problem(reply, 502, 'payment_provider', err.message);
        throw err;
      }
      if (!change.applied) {
        return problem(reply, 409, 'not_allowed', `Order ${order.number} is ${change.from}: it cannot be marked ${body.data.status}`);
      }
      request.log.info({ order: order.number, from: change.from, to: change.to, by: caller?.kind === 'business' ? `api-key:${caller.keyId}` : 'admin' }, 'order status changed');
      // The customer hears of it in their chat: an event into the journal, the reply through the outbox.
      await runtime.engine.notify(change.conversationId, { kind: 'system', event: SHOP_EVENT_NOTICES[event], data: { orderId: change.orderId } }, { eventId: `${SHOP_EVENT_NOTICES[event]}:${change.orderId}:${change.version}` });
      const updated = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: { items: true } });
      return orderView(updated);
    });

    api.post<{ Params: { botId: string } }>('/bots/:botId/reload', async (request, reply) => {
      const { botId } = request.params;
      const current = runtime.engine.bots.get(botId);
      if (!current) return problem(reply, 404, 'not_found', `No bot ${botId}`);
      const caller = request.apiCaller;
      if (caller?.kind !== 'admin' && caller?.botId !== botId) return problem(reply, 403, 'forbidden', `The key may not reload bot ${botId}`);
      try {
        const bot = await loadBot(current.dir);
        if (bot.runtime.id !== botId) return problem(reply, 422, 'config_invalid', `${bot.file}: id changed from ${botId} to ${bot.runtime.id}; restart the server instead`);
        const report = await seedBot(db, bot);
        runtime.engine.reloadBot(bot);
        request.log.info({ botId, updated: report.updated.length }, 'bot reloaded');
        return { botId, updated: report.updated, unchanged: report.unchanged, deactivated: report.deactivated };
      } catch (err) {
        if (err instanceof ConfigError) return problem(reply, 422, 'config_invalid', err.problems.map(formatProblem).join('\n'));
        throw err;
      }
    });
  }, { prefix: '/api/v1' });
};
