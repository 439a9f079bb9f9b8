import type Stripe from 'stripe';
import type { Logger } from 'pino';
import type { DbClient } from '../db/db-client.ts';
import type { Db } from '../db/open-database.ts';
import type { ProviderEventHandler } from '../conversation/engine.ts';
import { applyOrderEvent } from '../orders/order-service.ts';
import type { OrderEventType } from '../orders/order-machine.ts';

/** Dependencies of {@link handleStripeEvent}. */
export interface PaymentEventDeps {
  db: Db;
  logger: Logger;
}

/** What happened to a webhook event. */
export type PaymentEventOutcome =
  /** Seen before (same event id): nothing done. */
  | 'duplicate'
  /** A type or state we do not act on (e.g. a completed session still waiting for a bank transfer). */
  | 'ignored'
  /** No payment of ours has this session id. */
  | 'unknown'
  /** The order had moved on already (paid twice, expired after paid …): recorded, nothing changed. */
  | 'unchanged'
  | 'paid'
  | 'review'
  | 'expired'
  | 'failed';

/** The result of {@link handleStripeEvent}. */
export interface PaymentEventResult {
  outcome: PaymentEventOutcome;
  orderId?: string;
  conversationId?: string;
}

/** The customer-facing event for an outcome. */
const NOTICES: Partial<Record<PaymentEventOutcome, string>> = {
  paid: 'payment.succeeded', expired: 'payment.expired', failed: 'payment.failed',
};

async function decrementStock(tx: DbClient, orderId: string): Promise<void> {
  const items = await tx.orderItem.findMany({ where: { orderId }, include: { product: { select: { stock: true } } } });
  for (const item of items) {
    if (item.product.stock === null) continue;
    await tx.product.update({ where: { id: item.productId }, data: { stock: Math.max(0, item.product.stock - item.quantity) } });
  }
}

async function onSessionPaid(tx: DbClient, logger: Logger, session: Stripe.Checkout.Session, eventId: string): Promise<PaymentEventResult> {
  const payment = await tx.payment.findUnique({ where: { provider_providerRef: { provider: 'stripe', providerRef: session.id } }, include: { order: true } });
  if (!payment) return { outcome: 'unknown' };
  const { order } = payment;
  const base = { orderId: order.id, conversationId: order.conversationId };
  const detail = { eventId, sessionId: session.id, amountTotal: session.amount_total, currency: session.currency };
  if (session.amount_total !== order.totalMinor || (session.currency ?? '').toLowerCase() !== order.currency.toLowerCase()) {
    const result = await applyOrderEvent(tx, order.id, 'amount_mismatch', detail);
    if (result.applied) await tx.payment.update({ where: { id: payment.id }, data: { status: 'succeeded' } });
    logger.error({ orderNumber: order.number, orderId: order.id, expected: { amount: order.totalMinor, currency: order.currency }, received: { amount: session.amount_total, currency: session.currency } },
      'amount mismatch: order held for review');
    return { ...base, outcome: result.applied ? 'review' : 'unchanged' };
  }
  const result = await applyOrderEvent(tx, order.id, 'paid', detail);
  if (!result.applied) {
    if (payment.status !== 'succeeded') {
      logger.error({ orderNumber: order.number, status: order.status, sessionId: session.id }, 'payment received for an order that is not awaiting payment: refund or review it');
    }
    return { ...base, outcome: 'unchanged' };
  }
  await tx.payment.update({ where: { id: payment.id }, data: { status: 'succeeded' } });
  await decrementStock(tx, order.id);
  return { ...base, outcome: 'paid' };
}

async function onSessionEnded(tx: DbClient, session: Stripe.Checkout.Session, eventId: string, event: Extract<OrderEventType, 'expired' | 'payment_failed'>): Promise<PaymentEventResult> {
  const payment = await tx.payment.findUnique({ where: { provider_providerRef: { provider: 'stripe', providerRef: session.id } }, include: { order: true } });
  if (!payment) return { outcome: 'unknown' };
  const base = { orderId: payment.orderId, conversationId: payment.order.conversationId };
  // Only the order's open payment can end it: a late event for a replaced page changes nothing.
  if (payment.status !== 'pending') {
    await tx.orderEvent.create({ data: { orderId: payment.orderId, type: event, fromState: payment.order.status, toState: payment.order.status, applied: false, detail: JSON.stringify({ eventId, sessionId: session.id, reason: `payment ${payment.status}` }) } });
    return { ...base, outcome: 'unchanged' };
  }
  const result = await applyOrderEvent(tx, payment.orderId, event, { eventId, sessionId: session.id });
  if (!result.applied) return { ...base, outcome: 'unchanged' };
  await tx.payment.update({ where: { id: payment.id }, data: { status: event === 'expired' ? 'expired' : 'failed' } });
  return { ...base, outcome: event === 'expired' ? 'expired' : 'failed' };
}

/**
 * Applies a verified Stripe event inside the caller's transaction:
 * deduplicates it on its id, moves the order through the order machine
 * (paid → stock taken; amount or currency differs → `review` and an error
 * log; expired/failed → `expired`). Events that arrive late or twice leave
 * the order as it is.
 *
 * @example
 * ```ts
 * const { outcome } = await db.$transaction((tx) => applyStripeEvent(tx, logger, event));
 * ```
 */
export async function applyStripeEvent(tx: DbClient, logger: Logger, event: Stripe.Event): Promise<PaymentEventResult> {
  const seen = await tx.webhookEvent.findUnique({ where: { provider_eventId: { provider: 'stripe', eventId: event.id } } });
  if (seen) return { outcome: 'duplicate' };
  await tx.webhookEvent.create({ data: { provider: 'stripe', eventId: event.id, type: event.type } });
  let applied: PaymentEventResult;
  switch (event.type) {
    case 'checkout.session.completed':
      // Delayed methods (bank transfers …) complete unpaid; async_payment_succeeded follows.
      applied = event.data.object.payment_status !== 'paid' ? { outcome: 'ignored' } : await onSessionPaid(tx, logger, event.data.object, event.id);
      break;
    case 'checkout.session.async_payment_succeeded':
      applied = await onSessionPaid(tx, logger, event.data.object, event.id);
      break;
    case 'checkout.session.expired':
      applied = await onSessionEnded(tx, event.data.object, event.id, 'expired');
      break;
    case 'checkout.session.async_payment_failed':
      applied = await onSessionEnded(tx, event.data.object, event.id, 'payment_failed');
      break;
    default:
      applied = { outcome: 'ignored' };
  }
  if (applied.outcome === 'unknown') logger.warn({ eventId: event.id, type: event.type }, 'Stripe event for a session that is not ours');
  return applied;
}

/**
 * The engine's handler of Stripe events (see `Engine.onProviderEvent`):
 * applies the event and, when the customer should hear of it, admits a
 * system event (`payment.succeeded`, `payment.expired`, `payment.failed`)
 * into the order's conversation in the same transaction.
 *
 * @example
 * ```ts
 * engine.onProviderEvent('stripe', stripeEventHandler);
 * await engine.admitProviderEvent('stripe', event.id, sessionId, event);
 * ```
 */
export const stripeEventHandler: ProviderEventHandler = async (tx, event, { notify, logger }) => {
  const stripeEvent = event as Stripe.Event;
  const applied = await applyStripeEvent(tx, logger, stripeEvent);
  logger.info({ eventId: stripeEvent.id, type: stripeEvent.type, ...applied }, 'Stripe event processed');
  const notice = NOTICES[applied.outcome];
  if (notice && applied.conversationId && applied.orderId) {
    await notify(applied.conversationId, { kind: 'system', event: notice, data: { orderId: applied.orderId } }, `stripe:${stripeEvent.id}`);
  }
  return applied.outcome;
};

/**
 * Applies a verified Stripe event in a transaction of its own, telling no
 * one (CLIs, tests); the server admits events to the journal instead.
 *
 * @example
 * ```ts
 * const { outcome } = await handleStripeEvent({ db, logger }, event);
 * ```
 */
export function handleStripeEvent(deps: PaymentEventDeps, event: Stripe.Event): Promise<PaymentEventResult> {
  return deps.db.$transaction((tx) => applyStripeEvent(tx, deps.logger, event));
}
