import type Stripe from 'stripe';
import type { Logger } from 'pino';
import type { DbClient } from '../db/db-client.ts';
import type { Db } from '../db/open-database.ts';
import type { TurnResult } from '../conversation/engine.ts';
import type { I18n } from '../i18n/create-i18n.ts';
import type { OutboundMessage } from '../messages.ts';
import { formatMoney } from '../money.ts';
import type { SystemInput } from '../flow/step.ts';
import { applyOrderEvent } from '../orders/order-service.ts';
import type { OrderEventType } from '../orders/order-machine.ts';

/** Sends a system event into a conversation (the engine's `notify`). */
export interface Notifier {
  notify(conversationId: string, event: SystemInput): Promise<TurnResult>;
}

/** Delivers replies nobody asked for (the server's `Delivery`). */
export interface Deliverer {
  deliver(turn: TurnResult): Promise<boolean>;
}

/** Dependencies of {@link handleStripeEvent}. */
export interface PaymentEventDeps {
  db: Db;
  logger: Logger;
  /** Without an engine the order is updated and nobody is told (CLIs, tests). */
  engine?: Notifier;
  delivery?: Deliverer;
  /** Texts for a short notice when the conversation is elsewhere and its step says nothing. */
  i18n?: I18n;
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
  /** Whether the customer's conversation was told (and the replies handed to delivery). */
  notified: boolean;
}

const isUniqueViolation = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';

/** The customer-facing event for an outcome. */
const NOTICES: Partial<Record<PaymentEventOutcome, string>> = {
  paid: 'payment.succeeded', expired: 'payment.expired', failed: 'payment.failed',
};

/**
 * A short `orderStatus` notice about an order in the customer's language
 * (texts `orderUpdate.<event>`), for when the conversation is elsewhere.
 *
 * @example
 * ```ts
 * const [notice] = await orderNotice(db, i18n, { botId: 'directory', locale: 'pt-BR' }, 'order.shipped', orderId);
 * ```
 */
export async function orderNotice(db: DbClient, i18n: I18n, to: { botId: string; locale: string }, event: string, orderId: string): Promise<OutboundMessage[]> {
  const order = await db.order.findUnique({ where: { id: orderId }, include: { items: true, business: { select: { name: true } } } });
  if (!order) return [];
  const t = i18n.t(to.botId, to.locale);
  const key = `orderUpdate.${event}`;
  const money = (minor: number) => formatMoney({ minor, currency: order.currency }, to.locale);
  const total = money(order.totalMinor);
  const text = t(key, { number: order.number, business: order.business.name, total, defaultValue: '' });
  if (text === '') return [];
  return [{
    kind: 'orderStatus', text, orderNumber: order.number, status: order.status, statusLabel: t(`orderStatus.${order.status}`), total,
    lines: order.items.map((i) => ({ productId: i.productId, sku: i.sku, name: i.name, quantity: i.quantity, unitPrice: money(i.unitPriceMinor), lineTotal: money(i.lineTotalMinor) })),
  }];
}

/**
 * Sends a system event (`{ orderId }` in its data) into an order's
 * conversation and delivers the replies. When the conversation's current
 * step has nothing to say and `i18n` is given, a short notice
 * (`orderUpdate.<event>`) is delivered instead. Failures are logged, never
 * thrown: the order is already updated. Returns whether something was delivered.
 *
 * @example
 * ```ts
 * await notifyOrder({ db, engine, delivery, logger, i18n }, order.conversationId, 'order.refunded', order.id);
 * ```
 */
export async function notifyOrder(deps: Omit<PaymentEventDeps, 'db'> & { db: DbClient }, conversationId: string, event: string, orderId: string): Promise<boolean> {
  if (!deps.engine) return false;
  try {
    let turn = await deps.engine.notify(conversationId, { kind: 'system', event, data: { orderId } });
    if (turn.replies.length === 0 && deps.i18n) {
      turn = { ...turn, replies: await orderNotice(deps.db, deps.i18n, turn, event, orderId) };
    }
    if (turn.replies.length === 0) {
      deps.logger.info({ conversationId, event }, 'nothing to tell the customer');
      return false;
    }
    if (!deps.delivery) return false;
    return await deps.delivery.deliver(turn);
  } catch (err) {
    deps.logger.error({ err, conversationId, event }, 'could not tell the customer about their order');
    return false;
  }
}

async function decrementStock(tx: DbClient, orderId: string): Promise<void> {
  const items = await tx.orderItem.findMany({ where: { orderId }, include: { product: { select: { stock: true } } } });
  for (const item of items) {
    if (item.product.stock === null) continue;
    await tx.product.update({ where: { id: item.productId }, data: { stock: Math.max(0, item.product.stock - item.quantity) } });
  }
}

interface Applied {
  outcome: PaymentEventOutcome;
  orderId?: string;
  conversationId?: string;
}

async function onSessionPaid(tx: DbClient, logger: Logger, session: Stripe.Checkout.Session, eventId: string): Promise<Applied> {
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

async function onSessionEnded(tx: DbClient, session: Stripe.Checkout.Session, eventId: string, event: Extract<OrderEventType, 'expired' | 'payment_failed'>): Promise<Applied> {
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
 * Processes a verified Stripe event: deduplicates it on its id, moves the
 * order through the order machine (paid → stock taken; amount or currency
 * differs → `review` and an error log; expired/failed → `expired`) in one
 * database transaction, then tells the customer through the engine and
 * delivery. Events that arrive late or twice leave the order as it is and
 * tell nobody.
 *
 * @example
 * ```ts
 * const event = stripe.webhooks.constructEvent(rawBody, signature, secret);
 * const { outcome } = await handleStripeEvent({ db, logger, engine, delivery }, event);
 * ```
 */
export async function handleStripeEvent(deps: PaymentEventDeps, event: Stripe.Event): Promise<PaymentEventResult> {
  const { db, logger } = deps;
  let applied: Applied;
  try {
    applied = await db.$transaction(async (tx) => {
      await tx.webhookEvent.create({ data: { provider: 'stripe', eventId: event.id, type: event.type } });
      switch (event.type) {
        case 'checkout.session.completed':
          // Delayed methods (bank transfers …) complete unpaid; async_payment_succeeded follows.
          if (event.data.object.payment_status !== 'paid') return { outcome: 'ignored' };
          return onSessionPaid(tx, logger, event.data.object, event.id);
        case 'checkout.session.async_payment_succeeded':
          return onSessionPaid(tx, logger, event.data.object, event.id);
        case 'checkout.session.expired':
          return onSessionEnded(tx, event.data.object, event.id, 'expired');
        case 'checkout.session.async_payment_failed':
          return onSessionEnded(tx, event.data.object, event.id, 'payment_failed');
        default:
          return { outcome: 'ignored' };
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { outcome: 'duplicate', notified: false };
    throw err;
  }
  if (applied.outcome === 'unknown') logger.warn({ eventId: event.id, type: event.type }, 'Stripe event for a session that is not ours');
  const notice = NOTICES[applied.outcome];
  const notified = notice && applied.conversationId && applied.orderId
    ? await notifyOrder(deps, applied.conversationId, notice, applied.orderId)
    : false;
  return { outcome: applied.outcome, ...(applied.orderId ? { orderId: applied.orderId } : {}), notified };
}
