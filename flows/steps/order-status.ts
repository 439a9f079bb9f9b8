import { z } from 'zod';
import { defineStep, type OrderRecord, type OutboundMessage, type StepContext } from '../../engine/index.ts';

/** The statuses an order can have; each has a label under `orderStatus.<status>`. */
const STATUS_KEYS = ['awaiting_payment', 'paid', 'fulfilled', 'shipped', 'expired', 'cancelled', 'refunded', 'review'].map((s) => `orderStatus.${s}`);

/**
 * An order as an `orderStatus` message in the customer's language: lines,
 * total, number and status label.
 *
 * @example
 * ```ts
 * const message = orderStatusMessage(ctx, order, ctx.t('payment.receipt', { number: order.number }));
 * ```
 */
export function orderStatusMessage(ctx: StepContext<unknown>, order: OrderRecord, text?: string): OutboundMessage {
  const total = ctx.money(order.totalMinor, order.currency);
  const statusLabel = ctx.t(`orderStatus.${order.status}`);
  return {
    kind: 'orderStatus', orderNumber: order.number, status: order.status, statusLabel, total,
    text: text ?? ctx.t('orders.status', { number: order.number, business: order.businessName, status: statusLabel, total }),
    lines: order.items.map((i) => ({ productId: i.sku, sku: i.sku, name: i.name, quantity: i.quantity,
      unitPrice: ctx.money(i.unitPriceMinor, order.currency), lineTotal: ctx.money(i.unitPriceMinor * i.quantity, order.currency) })),
  };
}

/**
 * Answers "where is my order" from the database: the conversation's latest
 * orders with status and total (outcome `done`).
 *
 * @example
 * ```yaml
 * orders: { step: orderStatus, params: { limit: 3 }, next: $back }
 * ```
 */
export const orderStatus = defineStep({
  name: 'orderStatus',
  description: 'Tells the status of the latest orders and continues',
  params: z.object({ limit: z.number().int().min(1).max(10).default(3) }).strict(),
  outcomes: ['done'],
  textKeys: () => ['orders.none', 'orders.status', ...STATUS_KEYS],
  async enter(ctx) {
    const orders = await ctx.services.orders.recent(ctx.data.conversationId, ctx.params.limit);
    if (orders.length === 0) return { replies: [{ kind: 'text', text: ctx.t('orders.none') }], outcome: 'done' };
    return { replies: orders.map((o) => orderStatusMessage(ctx, o)), outcome: 'done' };
  },
});
