import { z } from 'zod';
import { defineStep, isVitrineError, type OutboundMessage } from '../../engine/index.ts';
import { lineViews } from './views.ts';

/**
 * Turns the cart into an order priced from the database and starts payment:
 * a payment link for online providers, or a "payment pending" note
 * (outcome `created`). An empty cart gives outcome `empty`.
 *
 * @example
 * ```yaml
 * checkout: { step: checkout, on: { created: payment, empty: cart } }
 * ```
 */
export const checkout = defineStep({
  name: 'checkout',
  description: 'Creates the order from the cart and starts payment; outcomes created, empty',
  params: z.object({}).strict(),
  outcomes: ['created', 'empty'],
  textKeys: () => ['checkout.empty', 'checkout.created', 'checkout.payNow', 'checkout.payButton', 'checkout.pending', 'checkout.outOfStock', 'orderStatus.awaiting_payment'],
  async enter(ctx) {
    const { businessId, conversationId, customerId, locale } = ctx.data;
    if (!businessId) return { replies: [{ kind: 'text', text: ctx.t('checkout.empty') }], outcome: 'empty' };
    try {
      const { order, payment } = await ctx.services.orders.checkout({ conversationId, customerId, businessId, locale });
      const total = ctx.money(order.totalMinor, order.currency);
      const cartLike = { cartId: null, businessId, currency: order.currency, itemCount: 0, totalMinor: order.totalMinor,
        lines: order.items.map((i) => ({ productId: i.sku, sku: i.sku, name: i.name, quantity: i.quantity, unitPriceMinor: i.unitPriceMinor, lineTotalMinor: i.unitPriceMinor * i.quantity })) };
      const replies: OutboundMessage[] = [{
        kind: 'orderStatus', text: ctx.t('checkout.created', { number: order.number, total }), orderNumber: order.number,
        status: order.status, statusLabel: ctx.t(`orderStatus.${order.status}`), total, lines: lineViews(ctx, cartLike),
      }];
      if (payment.kind === 'redirect') {
        replies.push({ kind: 'paymentLink', text: ctx.t('checkout.payNow'), url: payment.url, label: ctx.t('checkout.payButton', { total }), amount: total, orderNumber: order.number });
      } else {
        replies.push({ kind: 'text', text: ctx.t('checkout.pending', { number: order.number, business: order.businessName }) });
      }
      return { replies, set: { orderId: order.id }, outcome: 'created' };
    } catch (err) {
      if (isVitrineError(err, 'VT_ERR_CART_EMPTY')) return { replies: [{ kind: 'text', text: ctx.t('checkout.empty') }], outcome: 'empty' };
      if (isVitrineError(err, 'VT_ERR_OUT_OF_STOCK')) return { replies: [{ kind: 'text', text: ctx.t('checkout.outOfStock') }], outcome: 'empty' };
      throw err;
    }
  },
});
