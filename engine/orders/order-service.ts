import type { DbClient } from '../db/db-client.ts';
import { moveOrderStock, reserveStock } from './stock.ts';
import { VitrineError } from '../errors.ts';
import { systemClock, type Clock, type IdGenerator } from '../services.ts';
import type { OrderForPayment, PaymentProvider } from '../payments/payment-provider.ts';
import type { SystemInput } from '../flow/step.ts';
import type { CartService } from '../cart/cart-service.ts';
import { nextOrderStatus, orderStatusOf, type OrderEventType, type OrderStatus } from './order-machine.ts';
import { noticeShop } from '../notifications/shop-notice.ts';
import { markFunnel } from '../analytics/funnel-marks.ts';
import type { FulfilmentChoice, OrderFulfilment } from './fulfilment.ts';
import { orderFulfilment, priceFulfilment } from './order-fulfilment.ts';

/** A line of an order as stored: the product, and the prices taken at checkout. */
export interface OrderLineRecord {
  productId: string;
  sku: string;
  name: string;
  unitPriceMinor: number;
  quantity: number;
  /** The line's total as stored at checkout. */
  lineTotalMinor: number;
}

/** An order with its lines. */
export interface OrderRecord extends OrderForPayment {
  /** The bot of its business, and the business's slug in that bot's files. */
  botId: string;
  businessSlug: string;
  items: OrderLineRecord[];
  status: OrderStatus;
  provider: string;
  createdAt: Date;
  /** Who ordered: as they gave it at checkout, else as the channel knows them. */
  customer: { name: string | null; phone: string | null; channel: string };
  /** How it reaches the customer; `null` when its business asks nothing of it. */
  fulfilment: OrderFulfilment | null;
}

/** The result of a checkout: the order, whose payment starts after the turn commits. */
export interface CheckoutResult {
  order: OrderRecord;
}

/** Asks for work after the turn commits: a system event into the same conversation (see `payment-effects.ts`). */
export type ScheduleEvent = (event: SystemInput) => void;

/** Orders of a conversation. */
export interface OrderService {
  /**
   * Turns the open cart at a business into an order in `awaiting_payment`,
   * priced from the database, and schedules the start of its payment
   * (`payment.start`): the provider is called after the turn commits, never
   * inside it. Throws `VT_ERR_CART_EMPTY` for an empty cart and
   * `VT_ERR_OUT_OF_STOCK` when a line asks for more than there is. With a
   * `fulfilment` choice at a business that has `fulfilment:`, the order records
   * it and its total includes the fee from the business's settings (see
   * {@link priceFulfilment}); the name and phone given are remembered on the customer.
   */
  checkout(input: { conversationId: string; customerId: string; businessId: string; locale: string; fulfilment?: FulfilmentChoice }): Promise<CheckoutResult>;
  get(orderId: string): Promise<OrderRecord>;
  /** The conversation's orders, newest first. */
  recent(conversationId: string, limit?: number): Promise<OrderRecord[]>;
  /** Applies an event through the order machine (see {@link applyOrderEvent}). */
  apply(orderId: string, event: OrderEventType, detail?: Record<string, unknown>): Promise<AppliedOrderEvent>;
  /**
   * Cancels an order that is not paid yet; its open payments are stopped
   * with the provider after the turn commits. Returns whether the order was cancelled.
   */
  cancel(orderId: string): Promise<boolean>;
  /**
   * Asks for a new payment of an expired order: the order goes back to
   * `awaiting_payment` with a new version (so the provider's idempotency key
   * changes) and its payment starts after the turn. `undefined` when the
   * order is not expired (paid meanwhile …).
   */
  renewPayment(orderId: string): Promise<OrderRecord | undefined>;
}

/** What {@link applyOrderEvent} did. */
export interface AppliedOrderEvent {
  /** False when the event does not apply to the order's status; it was recorded and ignored. */
  applied: boolean;
  from: OrderStatus;
  to: OrderStatus;
  /** The order's version after the event. */
  version: number;
}

/**
 * Applies an event to an order: computes the next status with the order
 * machine, updates the row if its `version` is unchanged (optimistic
 * locking, retried a few times) and records an `OrderEvent` row either way.
 * An event that does not apply is recorded with `applied: false`; it never throws
 * for that.
 *
 * @example
 * ```ts
 * const result = await applyOrderEvent(db, order.id, 'paid', { eventId: 'evt_1' });
 * if (!result.applied) logger.info(result, 'order already moved on');
 * ```
 */
export async function applyOrderEvent(
  db: DbClient, orderId: string, event: OrderEventType, detail: Record<string, unknown> = {}, clock: Clock = systemClock,
): Promise<AppliedOrderEvent> {
  for (let attempt = 0; ; attempt++) {
    const order = await db.order.findUnique({ where: { id: orderId }, select: { status: true, version: true, businessId: true, conversationId: true } });
    if (!order) throw new VitrineError('VT_ERR_ORDER_UNKNOWN', `No order ${orderId}`, { context: { orderId } });
    const from = orderStatusOf(order.status);
    const to = nextOrderStatus(from, event);
    if (to) {
      const now = clock.now();
      const updated = await db.order.updateMany({ where: { id: orderId, version: order.version }, data: { status: to, version: { increment: 1 }, updatedAt: now } });
      if (updated.count === 1) {
        try {
          await moveOrderStock(db, orderId, from, to);
        } catch (err) {
          // Not enough stock to revive the order: it stays as it was (this transaction carries on).
          await db.order.updateMany({ where: { id: orderId, version: order.version + 1 }, data: { status: from, version: order.version } });
          throw err;
        }
        const recorded = await db.orderEvent.create({ data: { orderId, type: event, fromState: order.status, toState: to, applied: true, detail: JSON.stringify(detail), createdAt: now } });
        if (to === 'paid') await noticeShop(db, { type: 'order.paid', orderId, key: String(recorded.id) }, clock);
        if (to === 'paid') await markFunnel(db, clock, { businessId: order.businessId, conversationId: order.conversationId, stage: 'paid' });
        return { applied: true, from, to, version: order.version + 1 };
      }
      if (attempt < 3) continue;
    }
    const reason = to ? 'conflict' : 'not_applicable';
    await db.orderEvent.create({
      data: { orderId, type: event, fromState: order.status, toState: order.status, applied: false, detail: JSON.stringify({ ...detail, reason }), createdAt: clock.now() },
    });
    return { applied: false, from, to: from, version: order.version };
  }
}

/**
 * Flags money that arrived for an order not awaiting it (see the
 * `extra_payment` event): an `OrderEvent` the shop sees in the order's view,
 * recorded as applied with the order's status unchanged. The caller has
 * already marked the payment `succeeded`; the shop refunds it with
 * {@link refundPayment}.
 *
 * @example
 * ```ts
 * await flagExtraPayment(tx, order.id, { eventId: 'evt_2', providerRef: 'cs_old' });
 * ```
 */
export async function flagExtraPayment(db: DbClient, orderId: string, detail: Record<string, unknown>, clock: Clock = systemClock): Promise<void> {
  const order = await db.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true } });
  await db.orderEvent.create({
    data: { orderId, type: 'extra_payment', fromState: order.status, toState: order.status, applied: true, detail: JSON.stringify(detail), createdAt: clock.now() },
  });
}

/**
 * An order with its lines and business name.
 * Throws `VT_ERR_ORDER_UNKNOWN` when there is none.
 *
 * @example
 * ```ts
 * const order = await readOrder(db, orderId);
 * ```
 */
export async function readOrder(db: DbClient, orderId: string): Promise<OrderRecord> {
  const o = await db.order.findUnique({
    where: { id: orderId },
    include: { items: true, business: { select: { name: true, country: true, botId: true, slug: true } }, customer: { select: { name: true, phone: true, channel: true } } },
  });
  if (!o) throw new VitrineError('VT_ERR_ORDER_UNKNOWN', `No order ${orderId}`, { context: { orderId } });
  return {
    id: o.id, number: o.number, version: o.version, businessId: o.businessId, businessName: o.business.name, country: o.business.country, botId: o.business.botId, businessSlug: o.business.slug,
    conversationId: o.conversationId, currency: o.currency, totalMinor: o.totalMinor, locale: o.locale,
    status: orderStatusOf(o.status), provider: o.provider, createdAt: o.createdAt,
    customer: { name: o.customerName ?? o.customer.name, phone: o.customerPhone ?? o.customer.phone, channel: o.customer.channel },
    fulfilment: orderFulfilment(o), feeMinor: o.feeMinor,
    items: o.items.map((i) => ({
      productId: i.productId, sku: i.sku, name: i.name, unitPriceMinor: i.unitPriceMinor, quantity: i.quantity, lineTotalMinor: i.lineTotalMinor,
    })),
  };
}

/** Dependencies of {@link createOrderService}. */
export interface OrderServiceDeps {
  db: DbClient;
  cart: CartService;
  /** The bot's payment provider (its id is stored on new orders). */
  payments: PaymentProvider;
  ids: IdGenerator;
  /** Where work after the turn goes (the engine's turn effects). */
  schedule: ScheduleEvent;
  /** The time stamped on orders and their events (default: the system clock). */
  clock?: Clock;
}

/**
 * The order service over the database.
 *
 * @example
 * ```ts
 * const orders = createOrderService({ db, cart, payments: recordOnlyPaymentProvider, ids: randomIds(), schedule: (e) => later.push(e) });
 * const { order } = await orders.checkout({ conversationId, customerId, businessId, locale: 'pt-BR' });
 * ```
 */
export function createOrderService({ db, cart, payments, ids, schedule, clock = systemClock }: OrderServiceDeps): OrderService {
  const get = (orderId: string) => readOrder(db, orderId);
  const startPayment = (orderId: string) => schedule({ kind: 'system', event: 'payment.start', data: { orderId } });

  return {
    get,
    apply: (orderId, event, detail) => applyOrderEvent(db, orderId, event, detail, clock),
    async cancel(orderId) {
      const result = await applyOrderEvent(db, orderId, 'cancelled', { by: 'customer' }, clock);
      if (!result.applied) return false;
      const open = await db.payment.findMany({ where: { orderId, status: 'pending' } });
      for (const p of open) {
        await db.payment.update({ where: { id: p.id }, data: { status: 'expired' } });
        schedule({ kind: 'system', event: 'payment.cancel', data: { orderId, provider: p.provider, providerRef: p.providerRef } });
      }
      return true;
    },
    async renewPayment(orderId) {
      const result = await applyOrderEvent(db, orderId, 'retry', { by: 'customer' }, clock);
      if (!result.applied) return undefined;
      await db.payment.updateMany({ where: { orderId, status: 'pending' }, data: { status: 'expired' } });
      startPayment(orderId);
      return get(orderId);
    },
    async checkout({ conversationId, customerId, businessId, locale, fulfilment }) {
      const view = await cart.get(conversationId, businessId);
      if (view.cartId === null || view.lines.length === 0) {
        throw new VitrineError('VT_ERR_CART_EMPTY', 'The cart is empty', { context: { conversationId, businessId } });
      }
      // The order holds its units from now on: concurrent checkouts of the last ones cannot both have them.
      const priced = await priceFulfilment(db, businessId, fulfilment, view.totalMinor);
      await reserveStock(db, view.lines);
      const now = clock.now();
      const created = await db.order.create({
        data: {
          createdAt: now, updatedAt: now,
          number: ids.orderNumber(), businessId, customerId, conversationId, cartId: view.cartId,
          status: 'awaiting_payment', totalMinor: view.totalMinor + priced.feeMinor, currency: view.currency, locale, provider: payments.id, ...priced,
          items: {
            create: view.lines.map((l) => ({
              productId: l.productId, sku: l.sku, name: l.name, unitPriceMinor: l.unitPriceMinor,
              quantity: l.quantity, lineTotalMinor: l.lineTotalMinor,
            })),
          },
          events: { create: { type: 'created', fromState: 'cart', toState: 'awaiting_payment', applied: true, createdAt: now } },
        },
      });
      await db.cart.update({ where: { id: view.cartId }, data: { status: 'ordered' } });
      // The name and phone given are offered again at the next checkout.
      const known = { ...(priced.customerName ? { name: priced.customerName } : {}), ...(priced.customerPhone ? { phone: priced.customerPhone } : {}) };
      if (Object.keys(known).length > 0) await db.customer.update({ where: { id: customerId }, data: known });
      await noticeShop(db, { type: 'order.placed', orderId: created.id, key: created.id }, clock);
      await markFunnel(db, clock, { businessId, conversationId, stage: 'checkout' });
      startPayment(created.id);
      return { order: await get(created.id) };
    },
    async recent(conversationId, limit = 3) {
      const rows = await db.order.findMany({ where: { conversationId }, orderBy: { createdAt: 'desc' }, take: limit, select: { id: true } });
      return Promise.all(rows.map((r) => get(r.id)));
    },
  };
}
