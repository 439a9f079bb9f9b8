import type { Logger } from 'pino';
import { atomically } from '../db/atomically.ts';
import type { DbClient } from '../db/db-client.ts';
import { VitrineError } from '../errors.ts';
import type { SystemInput } from '../flow/step.ts';
import type { OrderForPayment, PaymentProvider } from '../payments/payment-provider.ts';
import type { Clock } from '../services.ts';
import { nextOrderStatus, orderStatusOf, type OrderEventType, type OrderStatus } from './order-machine.ts';
import { applyOrderEvent, type AppliedOrderEvent } from './order-service.ts';

/**
 * What the shop can mark an order as, by hand (the business API's
 * `{"status": …}`, `npm run orders -- mark <number> <mark>`).
 */
export const SHOP_MARKS = ['paid', 'fulfilled', 'shipped', 'cancelled', 'refunded'] as const;

/** A mark from {@link SHOP_MARKS}. */
export type ShopMark = (typeof SHOP_MARKS)[number];

/** The order events the shop's marks are. */
export type ShopOrderEvent = Extract<OrderEventType, 'received' | 'approved' | 'fulfilled' | 'shipped' | 'cancelled' | 'refunded'>;

/**
 * Whether a string is a {@link ShopMark}.
 *
 * @example
 * ```ts
 * if (!isShopMark(arg)) return usage();
 * ```
 */
export function isShopMark(value: string): value is ShopMark {
  return (SHOP_MARKS as readonly string[]).includes(value);
}

/**
 * The order event a mark is for an order in `status`: `paid` approves an
 * order held for review, and otherwise records a payment the shop received
 * itself (`received`); every other mark is the event of the same name.
 *
 * @example
 * ```ts
 * shopEventFor('review', 'paid');           // 'approved'
 * shopEventFor('awaiting_payment', 'paid'); // 'received'
 * ```
 */
export function shopEventFor(status: OrderStatus, mark: ShopMark): ShopOrderEvent {
  if (mark !== 'paid') return mark;
  return status === 'review' ? 'approved' : 'received';
}

/**
 * The shop's marks the order machine accepts for an order in `status`, in
 * the order of {@link SHOP_MARKS}: those whose event moves the order on.
 * `paid` for an order awaiting payment is only offered when its provider
 * lets the shop confirm payments (`paidByShop`).
 *
 * @example
 * ```ts
 * validShopMarks('awaiting_payment', { paidByShop: true }); // ['paid', 'cancelled']
 * validShopMarks('paid', { paidByShop: false });            // ['fulfilled', 'refunded']
 * validShopMarks('fulfilled', { paidByShop: true }, 'pickup'); // ['refunded']: a pickup is collected, never shipped
 * ```
 */
export function validShopMarks(status: OrderStatus, provider: { paidByShop: boolean }, fulfilment?: string | null): ShopMark[] {
  return SHOP_MARKS.filter((mark) => {
    if (mark === 'shipped' && !isShippable(fulfilment)) return false;
    const event = shopEventFor(status, mark);
    if (event === 'received' && !provider.paidByShop) return false;
    return nextOrderStatus(status, event) !== undefined;
  });
}

/** Whether an order received this way can be shipped: not one picked up at the shop or eaten there. */
function isShippable(fulfilment: string | null | undefined): boolean {
  return fulfilment !== 'pickup' && fulfilment !== 'dine-in';
}

/**
 * The system event that tells the customer about each of the shop's marks
 * (its texts are `orderUpdate.<event>` when the conversation is elsewhere).
 *
 * @example
 * ```ts
 * await engine.notify(result.conversationId, { kind: 'system', event: SHOP_EVENT_NOTICES.shipped, data: { orderId } });
 * ```
 */
export const SHOP_EVENT_NOTICES: Record<ShopOrderEvent, string> = {
  received: 'payment.succeeded', approved: 'payment.succeeded', fulfilled: 'order.fulfilled', shipped: 'order.shipped',
  cancelled: 'order.cancelled', refunded: 'order.refunded',
};

/** The result of {@link markOrder}. */
export interface MarkOrderResult extends AppliedOrderEvent {
  orderId: string;
  orderNumber: string;
  conversationId: string;
  /** The order event the mark was. */
  event: ShopOrderEvent;
  /** The provider's refund id, for a refund. */
  refundRef?: string;
}

/** What {@link markOrder} works with. */
export interface ShopMarkDeps {
  db: DbClient;
  /** The configured providers: a refund goes through the one that took the payment; `paidByShop` says who may mark it paid. */
  providers: readonly PaymentProvider[];
  clock?: Clock;
  /** Where a payment page that could not be stopped after a cancellation is reported. */
  logger?: Logger;
}

/**
 * The shop's side of the order machine: marks an order `paid` (a payment
 * the shop received itself, for providers with `paidByShop`; or a reviewed
 * order accepted), `fulfilled`, `shipped`, `cancelled` (before payment; its
 * stock is given back and an open payment page stopped) or `refunded`
 * (refunding through the provider that took the payment first). An event that
 * does not apply is recorded and returned with `applied: false`. Throws
 * `VT_ERR_ORDER_UNKNOWN`, `VT_ERR_ORDER_TRANSITION` (`shipped` for an order
 * picked up or eaten at the shop), `VT_ERR_ORDER_PAID_BY_PROVIDER` (a provider that
 * confirms its payments itself) and `VT_ERR_PAYMENT_PROVIDER` (a refund the
 * provider refused; nothing changed).
 *
 * @example
 * ```ts
 * const result = await markOrder({ db, providers: payments }, 'VT-7K3F9Q', 'paid');
 * if (result.applied) await engine.notify(result.conversationId, ...shopMarkNotice(result));
 * ```
 */
export async function markOrder(deps: ShopMarkDeps, orderNumber: string, mark: ShopMark): Promise<MarkOrderResult> {
  const order = await findStoredOrder(deps.db, orderNumber);
  if (!order) throw new VitrineError('VT_ERR_ORDER_UNKNOWN', `No order ${orderNumber}`, { context: { orderNumber } });
  if (mark === 'shipped' && !isShippable(order.fulfilment)) {
    throw new VitrineError('VT_ERR_ORDER_TRANSITION',
      `Order ${order.number} is ${order.fulfilment === 'pickup' ? 'picked up at the shop' : 'eaten at the shop'}: it cannot be marked shipped (mark it fulfilled when it is ready)`,
      { context: { orderNumber, fulfilment: order.fulfilment } });
  }
  const event = shopEventFor(orderStatusOf(order.status), mark);
  const base = { orderId: order.id, orderNumber: order.number, conversationId: order.conversationId, event };
  if (event === 'received' && !deps.providers.find((p) => p.id === order.provider)?.paidByShop) {
    throw new VitrineError('VT_ERR_ORDER_PAID_BY_PROVIDER',
      `Order ${order.number} is paid through ${order.provider}, which confirms its payments itself: it cannot be marked paid by hand`, { context: { orderNumber, provider: order.provider } });
  }
  let refundRef: string | undefined;
  if (event === 'refunded' && nextOrderStatus(order.status, 'refunded')) {
    // Every payment the customer made is given back (an extra one from a replaced page too), newest first.
    const payments = await deps.db.payment.findMany({ where: { orderId: order.id, status: 'succeeded' }, orderBy: { createdAt: 'desc' } });
    const forPayment = forPaymentOf(order);
    for (const payment of payments) {
      const ref = await refundThroughProvider(deps, forPayment, payment);
      refundRef ??= ref;
    }
  }
  // The order's change, its stock, its payment and the notices it causes are written together or not at all.
  const result = await atomically(deps.db, async (db) => {
    const applied = await applyOrderEvent(db, order.id, event, { by: 'shop', ...(refundRef ? { refundRef } : {}) }, deps.clock);
    if (applied.applied && event === 'received') await settleOpenPayment(db, order.id);
    return applied;
  });
  if (result.applied && event === 'cancelled') await stopOpenPayments(deps, order.id);
  return { ...base, ...result, ...(refundRef ? { refundRef } : {}) };
}

/**
 * The system event (and its journal id, one per order version, so the
 * customer is told once) that tells the customer about an applied mark.
 *
 * @example
 * ```ts
 * const [event, options] = shopMarkNotice(result);
 * await engine.notify(result.conversationId, event, options);
 * ```
 */
export function shopMarkNotice(result: MarkOrderResult): [SystemInput, { eventId: string }] {
  const notice = SHOP_EVENT_NOTICES[result.event];
  return [{ kind: 'system', event: notice, data: { orderId: result.orderId } }, { eventId: `${notice}:${result.orderId}:${result.version}` }];
}

/** The payment the shop received itself: the order's open payment becomes `succeeded` (a later refund finds it). */
async function settleOpenPayment(db: DbClient, orderId: string): Promise<void> {
  const open = await db.payment.findFirst({ where: { orderId, status: 'pending' }, orderBy: { createdAt: 'desc' } });
  if (open) await db.payment.update({ where: { id: open.id }, data: { status: 'succeeded' } });
}

/** A cancelled order's open payments expire, and their pages are stopped with their providers (a failure is logged: pages expire by themselves). */
async function stopOpenPayments(deps: ShopMarkDeps, orderId: string): Promise<void> {
  const open = await deps.db.payment.findMany({ where: { orderId, status: 'pending' } });
  for (const payment of open) {
    await deps.db.payment.update({ where: { id: payment.id }, data: { status: 'expired' } });
    const provider = deps.providers.find((p) => p.id === payment.provider);
    await provider?.cancelPayment?.(payment.providerRef).catch((err: unknown) => deps.logger?.warn({ err, providerRef: payment.providerRef }, 'payment page not expired'));
  }
}

type StoredOrder = NonNullable<Awaited<ReturnType<typeof findStoredOrder>>>;
type StoredPayment = { id: string; provider: string; providerRef: string };

function findStoredOrder(db: DbClient, orderNumber: string) {
  return db.order.findUnique({ where: { number: orderNumber }, include: { items: true, business: { select: { name: true, country: true } } } });
}

function forPaymentOf(order: StoredOrder): OrderForPayment {
  return {
    id: order.id, number: order.number, version: order.version, businessId: order.businessId, businessName: order.business.name, country: order.business.country,
    conversationId: order.conversationId, currency: order.currency, totalMinor: order.totalMinor, locale: order.locale,
    items: order.items.map((i) => ({ sku: i.sku, name: i.name, unitPriceMinor: i.unitPriceMinor, quantity: i.quantity })),
  };
}

/** Refunds one payment through its provider (none for a provider that cannot) and marks it refunded. */
async function refundThroughProvider(
  deps: { db: DbClient; providers: readonly PaymentProvider[] }, order: OrderForPayment, payment: StoredPayment,
): Promise<string | undefined> {
  const provider = deps.providers.find((p) => p.id === payment.provider);
  if (!provider?.refund) return undefined;
  let refundRef: string;
  try {
    refundRef = (await provider.refund(payment.providerRef, order)).refundRef;
  } catch (err) {
    throw new VitrineError('VT_ERR_PAYMENT_PROVIDER', `Refund through ${provider.id} failed: ${(err as Error).message}`, { cause: err, context: { orderNumber: order.number } });
  }
  await deps.db.payment.update({ where: { id: payment.id }, data: { status: 'refunded' } });
  return refundRef;
}

/** The result of {@link refundPayment}. */
export interface RefundPaymentResult {
  orderId: string;
  orderNumber: string;
  conversationId: string;
  /** The provider's refund id. */
  refundRef?: string;
  /** Whether the order went `refunded` too (no succeeded payment was left). */
  orderRefunded: boolean;
}

/**
 * Refunds one succeeded payment of an order (`providerRef`), such as an extra
 * payment flagged by an `extra_payment` event: through its provider, then the
 * payment is `refunded`. The order keeps its status while another payment
 * still pays it; when none is left it goes `refunded` if its status allows.
 * Throws `VT_ERR_ORDER_UNKNOWN` for an unknown order or a payment that is not
 * a succeeded one of it, and `VT_ERR_PAYMENT_PROVIDER` when the provider refuses.
 *
 * @example
 * ```ts
 * const result = await refundPayment({ db, providers: payments }, 'VT-7K3F9Q', 'cs_test_old');
 * ```
 */
export async function refundPayment(
  deps: { db: DbClient; providers: readonly PaymentProvider[]; clock?: Clock }, orderNumber: string, providerRef: string,
): Promise<RefundPaymentResult> {
  const order = await findStoredOrder(deps.db, orderNumber);
  const payment = order && await deps.db.payment.findFirst({ where: { orderId: order.id, providerRef, status: 'succeeded' } });
  if (!order || !payment) {
    throw new VitrineError('VT_ERR_ORDER_UNKNOWN', `Order ${orderNumber} has no succeeded payment ${providerRef}`, { context: { orderNumber, providerRef } });
  }
  const refundRef = await refundThroughProvider(deps, forPaymentOf(order), payment);
  if (!refundRef) await deps.db.payment.update({ where: { id: payment.id }, data: { status: 'refunded' } });
  const left = await deps.db.payment.count({ where: { orderId: order.id, status: 'succeeded' } });
  const applied = left === 0 && nextOrderStatus(order.status, 'refunded')
    ? (await applyOrderEvent(deps.db, order.id, 'refunded', { by: 'shop', providerRef, ...(refundRef ? { refundRef } : {}) }, deps.clock)).applied
    : false;
  return { orderId: order.id, orderNumber: order.number, conversationId: order.conversationId, ...(refundRef ? { refundRef } : {}), orderRefunded: applied };
}
