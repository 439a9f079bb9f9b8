import { z } from 'zod';
import { defineStep, type OutboundMessage } from '../../engine/index.ts';

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
  textKeys: () => ['orders.none', 'orders.status', ...['awaiting_payment', 'paid', 'fulfilled', 'shipped', 'expired', 'cancelled', 'refunded', 'review'].map((s) => `orderStatus.${s}`)],
  async enter(ctx) {
    const orders = await ctx.services.orders.recent(ctx.data.conversationId, ctx.params.limit);
    if (orders.length === 0) return { replies: [{ kind: 'text', text: ctx.t('orders.none') }], outcome: 'done' };
    const replies: OutboundMessage[] = orders.map((o) => {
      const total = ctx.money(o.totalMinor, o.currency);
      const statusLabel = ctx.t(`orderStatus.${o.status}`);
      return {
        kind: 'orderStatus', orderNumber: o.number, status: o.status, statusLabel, total,
        text: ctx.t('orders.status', { number: o.number, business: o.businessName, status: statusLabel, total }),
        lines: o.items.map((i) => ({ productId: i.sku, sku: i.sku, name: i.name, quantity: i.quantity,
          unitPrice: ctx.money(i.unitPriceMinor, o.currency), lineTotal: ctx.money(i.unitPriceMinor * i.quantity, o.currency) })),
      };
    });
    return { replies, outcome: 'done' };
  },
});
