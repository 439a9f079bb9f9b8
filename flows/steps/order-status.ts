import { z } from 'zod';
import { defineStep, orderStatusMessage, ORDER_FEE_TEXT_KEYS, ORDER_STATUSES, type OrderRecord, type OrderStatusMessage, type StepContext } from '../../engine/index.ts';

/** Each status's label, under `orderStatus.<status>`. */
const STATUS_KEYS = ORDER_STATUSES.map((s) => `orderStatus.${s}`);

/**
 * An order as the `orderStatus` message of {@link orderStatusMessage}, for the
 * conversation's customer (their texts and locale); the text is `textKey`.
 *
 * @example
 * ```ts
 * const receipt = orderMessage(ctx, order, 'payment.receipt');
 * ```
 */
export function orderMessage(ctx: StepContext<unknown>, order: OrderRecord, textKey?: string): OrderStatusMessage {
  return orderStatusMessage(order, { t: ctx.t, locale: ctx.data.locale }, textKey);
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
  textKeys: () => ['orders.none', 'orders.status', ...STATUS_KEYS, ...ORDER_FEE_TEXT_KEYS],
  async enter(ctx) {
    const orders = await ctx.services.orders.recent(ctx.data.conversationId, ctx.params.limit);
    if (orders.length === 0) return { replies: [{ kind: 'text', text: ctx.t('orders.none') }], outcome: 'done' };
    return { replies: orders.map((o) => orderMessage(ctx, o)), outcome: 'done' };
  },
});
