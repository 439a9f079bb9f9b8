import type { Logger } from 'pino';
import type { DbClient } from '../db/db-client.ts';
import type { ProviderEventHandler } from '../conversation/engine.ts';
import { applyOrderEvent, flagExtraPayment } from '../orders/order-service.ts';
import { systemClock, type Clock } from '../services.ts';
import type { OrderEventType } from '../orders/order-machine.ts';
import type { PaymentProvider } from './payment-provider.ts';
import type { PaymentUpdate } from './payment-webhook.ts';

/** What applying a {@link PaymentUpdate} did. */
export type PaymentEventOutcome =
  /** Seen before (same event id): nothing done. */
  | 'duplicate'
  /** An update with nothing to do (e.g. a completed page still waiting for a bank transfer). */
  | 'ignored'
  /** No payment of ours has this reference. */
  | 'unknown'
  /** The order had moved on already (paid twice, expired after paid …): recorded, nothing changed. */
  | 'unchanged'
  /** Money for an order that was not awaiting it (a replaced page paid too): the payment is recorded as succeeded and flagged for the shop. */
  | 'extra_payment'
  | 'paid'
  | 'review'
  | 'expired'
  | 'failed'
  | 'refunded';

/** The result of {@link applyPaymentUpdate}. */
export interface PaymentEventResult {
  outcome: PaymentEventOutcome;
  orderId?: string;
  conversationId?: string;
}

/** The customer-facing event for an outcome. */
const NOTICES: Partial<Record<PaymentEventOutcome, string>> = {
  paid: 'payment.succeeded', expired: 'payment.expired', failed: 'payment.failed', refunded: 'order.refunded',
};

/** The Payment row an update is about (by its page, else by the money taken), with its order. */
function findPayment(tx: DbClient, provider: string, update: Pick<PaymentUpdate, 'providerRef' | 'paidRef'>) {
  if (update.providerRef !== undefined) {
    return tx.payment.findUnique({ where: { provider_providerRef: { provider, providerRef: update.providerRef } }, include: { order: true } });
  }
  if (update.paidRef === undefined) return Promise.resolve(null);
  return tx.payment.findFirst({ where: { provider, paidRef: update.paidRef }, include: { order: true } });
}
type FoundPayment = NonNullable<Awaited<ReturnType<typeof findPayment>>>;

const sameAmount = (amount: PaymentUpdate['amount'], order: FoundPayment['order']): boolean =>
  !amount || (amount.minor === order.totalMinor && amount.currency.toLowerCase() === order.currency.toLowerCase());

const paidRefOf = (update: PaymentUpdate): { paidRef?: string } => (update.paidRef === undefined ? {} : { paidRef: update.paidRef });

/** Money for an order that was not awaiting it: kept on record as succeeded and flagged (the same page reported twice changes nothing). */
async function onExtra(tx: DbClient, logger: Logger, payment: FoundPayment, update: PaymentUpdate, detail: Record<string, unknown>, clock: Clock): Promise<PaymentEventResult> {
  const { order } = payment;
  const base = { orderId: order.id, conversationId: order.conversationId };
  if (payment.status === 'succeeded' || payment.status === 'refunded') return { ...base, outcome: 'unchanged' };
  await tx.payment.update({ where: { id: payment.id }, data: { status: 'succeeded', ...paidRefOf(update) } });
  await flagExtraPayment(tx, order.id, { ...detail, ...paidRefOf(update) }, clock);
  logger.warn({ orderNumber: order.number, status: order.status, provider: payment.provider, providerRef: payment.providerRef }, 'extra payment for an order that was not awaiting payment: flagged for the shop to refund');
  return { ...base, outcome: 'extra_payment' };
}

async function onPaid(tx: DbClient, logger: Logger, payment: FoundPayment, update: PaymentUpdate, clock: Clock): Promise<PaymentEventResult> {
  const { order } = payment;
  const base = { orderId: order.id, conversationId: order.conversationId };
  const detail = { eventId: update.eventId, providerRef: payment.providerRef, ...(update.amount ? { amount: update.amount.minor, currency: update.amount.currency } : {}) };
  if (!sameAmount(update.amount, order)) {
    const result = await applyOrderEvent(tx, order.id, 'amount_mismatch', detail, clock);
    logger.error({ orderNumber: order.number, orderId: order.id, provider: payment.provider, expected: { amount: order.totalMinor, currency: order.currency }, received: update.amount },
      'amount mismatch: order held for review');
    if (!result.applied) return onExtra(tx, logger, payment, update, detail, clock);
    await tx.payment.update({ where: { id: payment.id }, data: { status: 'succeeded', ...paidRefOf(update) } });
    return { ...base, outcome: 'review' };
  }
  const result = await applyOrderEvent(tx, order.id, 'paid', detail, clock);
  if (!result.applied) return onExtra(tx, logger, payment, update, detail, clock);
  await tx.payment.update({ where: { id: payment.id }, data: { status: 'succeeded', ...paidRefOf(update) } });
  return { ...base, outcome: 'paid' };
}

async function onEnded(tx: DbClient, payment: FoundPayment, eventId: string, event: Extract<OrderEventType, 'expired' | 'payment_failed'>, clock: Clock): Promise<PaymentEventResult> {
  const base = { orderId: payment.orderId, conversationId: payment.order.conversationId };
  // Only the order's open payment can end it: a late event for a replaced page changes nothing.
  if (payment.status !== 'pending') {
    await tx.orderEvent.create({ data: { orderId: payment.orderId, type: event, fromState: payment.order.status, toState: payment.order.status, applied: false, detail: JSON.stringify({ eventId, providerRef: payment.providerRef, reason: `payment ${payment.status}` }) } });
    return { ...base, outcome: 'unchanged' };
  }
  const result = await applyOrderEvent(tx, payment.orderId, event, { eventId, providerRef: payment.providerRef }, clock);
  if (!result.applied) return { ...base, outcome: 'unchanged' };
  await tx.payment.update({ where: { id: payment.id }, data: { status: event === 'expired' ? 'expired' : 'failed' } });
  return { ...base, outcome: event === 'expired' ? 'expired' : 'failed' };
}

async function onRefunded(tx: DbClient, payment: FoundPayment, eventId: string, clock: Clock): Promise<PaymentEventResult> {
  const base = { orderId: payment.orderId, conversationId: payment.order.conversationId };
  // One of several payments given back (an extra one): the order stays paid by the others.
  const others = await tx.payment.count({ where: { orderId: payment.orderId, status: 'succeeded', id: { not: payment.id } } });
  if (others > 0) {
    if (payment.status !== 'refunded') await tx.payment.update({ where: { id: payment.id }, data: { status: 'refunded' } });
    return { ...base, outcome: 'unchanged' };
  }
  const result = await applyOrderEvent(tx, payment.orderId, 'refunded', { eventId, providerRef: payment.providerRef, by: 'provider' }, clock);
  // The money went back whatever the order's status (an extra payment of a cancelled order …).
  if (payment.status !== 'refunded') await tx.payment.update({ where: { id: payment.id }, data: { status: 'refunded' } });
  return { ...base, outcome: result.applied ? 'refunded' : 'unchanged' };
}

/**
 * Applies a provider's {@link PaymentUpdate} inside the caller's
 * transaction: deduplicates it on `(provider, eventId)`, finds the payment
 * by `(provider, providerRef)` and moves its order through the order
 * machine (paid; amount or currency differs → `review` and an
 * error log; expired/failed → `expired`; refunded → `refunded`). Updates
 * that arrive late or twice leave the order as it is.
 *
 * @example
 * ```ts
 * const { outcome } = await db.$transaction((tx) => applyPaymentUpdate(tx, logger, 'acme', { eventId: 'e1', type: 'paid', providerRef: 'p1', outcome: 'paid' }));
 * ```
 */
export async function applyPaymentUpdate(tx: DbClient, logger: Logger, provider: string, update: PaymentUpdate, clock: Clock = systemClock): Promise<PaymentEventResult> {
  const seen = await tx.webhookEvent.findUnique({ where: { provider_eventId: { provider, eventId: update.eventId } } });
  if (seen) return { outcome: 'duplicate' };
  await tx.webhookEvent.create({ data: { provider, eventId: update.eventId, type: update.type } });
  if (update.outcome === 'ignored') return { outcome: 'ignored' };
  const payment = await findPayment(tx, provider, update);
  if (!payment) {
    logger.warn({ provider, eventId: update.eventId, type: update.type, providerRef: update.providerRef, paidRef: update.paidRef }, 'payment event about a payment that is not ours');
    return { outcome: 'unknown' };
  }
  switch (update.outcome) {
    case 'paid':
      return onPaid(tx, logger, payment, update, clock);
    case 'expired':
      return onEnded(tx, payment, update.eventId, 'expired', clock);
    case 'failed':
      return onEnded(tx, payment, update.eventId, 'payment_failed', clock);
    case 'refunded':
      return onRefunded(tx, payment, update.eventId, clock);
  }
}

/**
 * The engine's handler of a provider's verified webhook events (see
 * `Engine.onProviderEvent`): reads the event with the provider's webhook,
 * applies the update and, when the customer should hear of it, admits a
 * system event (`payment.succeeded`, `payment.expired`, `payment.failed`,
 * `order.refunded`) into the order's conversation in the same transaction.
 *
 * @example
 * ```ts
 * if (provider.webhook) engine.onProviderEvent(provider.id, paymentEventHandler(provider));
 * ```
 */
export function paymentEventHandler(provider: PaymentProvider, clock: Clock = systemClock): ProviderEventHandler {
  return async (tx, event, { notify, logger }) => {
    if (!provider.webhook) return undefined;
    const update = provider.webhook.read(event);
    const applied = await applyPaymentUpdate(tx, logger, provider.id, update, clock);
    logger.info({ provider: provider.id, eventId: update.eventId, type: update.type, ...applied }, 'payment event processed');
    const notice = NOTICES[applied.outcome];
    if (notice && applied.conversationId && applied.orderId) {
      await notify(applied.conversationId, { kind: 'system', event: notice, data: { orderId: applied.orderId } }, `${provider.id}:${update.eventId}`);
    }
    return applied.outcome;
  };
}
