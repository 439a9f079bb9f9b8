import { z } from 'zod';
import { defineStep, isVitrineError, type CheckoutResult, type OutboundMessage, type StepContext } from '../../engine/index.ts';
import { orderStatusMessage } from './order-status.ts';

/**
 * The messages that start a payment: a payment link for online providers,
 * or a "payment pending" note for deferred ones.
 *
 * @example
 * ```ts
 * const replies = paymentMessages(ctx, await ctx.services.orders.renewPayment(orderId));
 * ```
 */
export function paymentMessages(ctx: StepContext<unknown>, { order, payment }: CheckoutResult): OutboundMessage[] {
  const total = ctx.money(order.totalMinor, order.currency);
  if (payment.kind === 'redirect') {
    return [{ kind: 'paymentLink', text: ctx.t('checkout.payNow'), url: payment.url, label: ctx.t('checkout.payButton', { total }), amount: total, orderNumber: order.number }];
  }
  return [{ kind: 'text', text: ctx.t('checkout.pending', { number: order.number, business: order.businessName }) }];
}

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
  textKeys: () => [
    'checkout.empty', 'checkout.created', 'checkout.payNow', 'checkout.payButton', 'checkout.pending', 'checkout.outOfStock',
    'orderStatus.awaiting_payment', 'payment.unavailable', 'payment.newLink', 'payment.cancel',
  ],
  async enter(ctx) {
    const { businessId, conversationId, customerId, locale } = ctx.data;
    if (!businessId) return { replies: [{ kind: 'text', text: ctx.t('checkout.empty') }], outcome: 'empty' };
    try {
      const started = await ctx.services.orders.checkout({ conversationId, customerId, businessId, locale });
      const { order } = started;
      const created = ctx.t('checkout.created', { number: order.number, total: ctx.money(order.totalMinor, order.currency) });
      const replies: OutboundMessage[] = [orderStatusMessage(ctx, order, created), ...paymentMessages(ctx, started)];
      return { replies, set: { orderId: order.id }, outcome: 'created' };
    } catch (err) {
      if (isVitrineError(err, 'VT_ERR_CART_EMPTY')) return { replies: [{ kind: 'text', text: ctx.t('checkout.empty') }], outcome: 'empty' };
      if (isVitrineError(err, 'VT_ERR_OUT_OF_STOCK')) return { replies: [{ kind: 'text', text: ctx.t('checkout.outOfStock') }], outcome: 'empty' };
      if (isVitrineError(err, 'VT_ERR_PAYMENT_PROVIDER') && typeof err.context['orderId'] === 'string') {
        // The order exists (expired): the payment step offers a new link.
        ctx.services.logger.error({ err, orderId: err.context['orderId'] }, 'payment could not be started');
        const order = await ctx.services.orders.get(err.context['orderId']);
        return {
          replies: [{
            kind: 'choice', text: ctx.t('payment.unavailable', { number: order.number }),
            options: [{ id: 'payment:newLink', label: ctx.t('payment.newLink') }, { id: 'payment:cancel', label: ctx.t('payment.cancel') }],
          }],
          set: { orderId: order.id }, outcome: 'created',
        };
      }
      throw err;
    }
  },
});
