import { z } from 'zod';
import { closedForOrders, defineStep, isVitrineError, OPENING_HOURS_TEXT_KEYS, ORDER_FEE_TEXT_KEYS, orderAmounts, type OrderRecord, type OutboundMessage, type PaymentStart, type StepContext } from '../../engine/index.ts';
import { orderMessage } from './order-status.ts';

/**
 * The messages that start a payment: a payment link for online providers
 * (with the order's lines and amounts from the database, for channels that
 * show the order itself; a test payment is a link marked "(test)" only), or
 * a "payment pending" note for deferred ones ("Pay £31.50 in cash when your
 * order is delivered", by how it reaches them, for a payment in cash).
 *
 * @example
 * ```ts
 * const replies = paymentMessages(ctx, order, start); // start: the provider's PaymentStart
 * ```
 */
export function paymentMessages(ctx: StepContext<unknown>, order: OrderRecord, payment: PaymentStart): OutboundMessage[] {
  const total = ctx.money(order.totalMinor, order.currency);
  if (payment.kind === 'redirect' && payment.code) {
    // A code to pay in the chat itself (Pix), with the provider's page of the same code as the link.
    const { method, value, imageUrl } = payment.code;
    const minutes = payment.expiresAt ? Math.max(1, Math.round((new Date(payment.expiresAt).getTime() - ctx.services.clock.now().getTime()) / 60_000)) : undefined;
    const expires = minutes === undefined ? undefined : new Intl.NumberFormat(ctx.data.locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(minutes);
    const summary = ctx.t('checkout.orderDetails', { number: order.number, business: order.businessName, total });
    return [{
      kind: 'paymentLink', text: ctx.t(expires ? 'checkout.payCode' : 'checkout.payCodeNoExpiry', { total, expires }), url: payment.url,
      label: ctx.t('checkout.codePageButton'), amount: total, orderNumber: order.number,
      code: { method, value, ...(imageUrl ? { imageUrl } : {}), ...(expires ? { expires } : {}) },
      ...(payment.test ? {} : { order: orderAmounts(order, summary) }),
    }];
  }
  if (payment.kind === 'redirect') {
    const summary = ctx.t('checkout.orderDetails', { number: order.number, business: order.businessName, total });
    const [text, label] = payment.test ? ['checkout.payNowTest', 'checkout.payButtonTest'] : ['checkout.payNow', 'checkout.payButton'];
    return [{
      kind: 'paymentLink', text: ctx.t(text), url: payment.url, label: ctx.t(label, { total }), amount: total, orderNumber: order.number,
      // A test payment keeps its marked button: a channel's own payment sheet would present it as real.
      ...(payment.test ? {} : { order: orderAmounts(order, summary) }),
    }];
  }
  if (payment.cash) return [{ kind: 'text', text: ctx.t(`checkout.payCash.${CASH_WHEN[order.fulfilment?.method ?? 'any']}`, { total }) }];
  return [{ kind: 'text', text: ctx.t('checkout.pending', { number: order.number, business: order.businessName }) }];
}

/** When a cash order is paid, by how it reaches the customer (`checkout.payCash.<when>`). */
const CASH_WHEN = { delivery: 'delivery', pickup: 'pickup', 'dine-in': 'dineIn', any: 'any' } as const;

/** The texts of {@link paymentMessages} for an order paid in cash. */
export const CASH_TEXT_KEYS = Object.values(CASH_WHEN).map((when) => `checkout.payCash.${when}`);

/** Creates the order, with how it reaches the customer when the fulfilment steps asked it. */
async function placeOrder(ctx: StepContext<unknown>, businessId: string): Promise<OrderRecord> {
  const { conversationId, customerId, locale, fulfilment: draft } = ctx.data;
  const fulfilment = draft?.businessId === businessId && draft.method ? { ...draft, method: draft.method } : undefined;
  const { order } = await ctx.services.orders.checkout({ conversationId, customerId, businessId, locale, ...(fulfilment ? { fulfilment } : {}) });
  return order;
}

/**
 * Turns the cart into an order priced from the database (outcome
 * `created`); its payment starts once the turn is saved, and the payment
 * link or "payment pending" note reaches the next step as `payment.ready`
 * (see `awaitPayment`). An empty cart gives outcome `empty`. What the
 * fulfilment steps asked (`chooseFulfilment` … `orderSummary`) goes with the
 * order, its fee priced from the business's settings.
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
    'checkout.empty', 'checkout.created', 'checkout.payNow', 'checkout.payButton', 'checkout.payNowTest', 'checkout.payButtonTest', 'checkout.orderDetails', 'checkout.payCode', 'checkout.payCodeNoExpiry', 'checkout.codePageButton', 'checkout.pending', 'checkout.outOfStock', 'fulfilment.changed',
    'orderStatus.awaiting_payment', ...OPENING_HOURS_TEXT_KEYS, ...ORDER_FEE_TEXT_KEYS, ...CASH_TEXT_KEYS,
  ],
  async enter(ctx) {
    const { businessId, locale } = ctx.data;
    if (!businessId) return { replies: [{ kind: 'text', text: ctx.t('checkout.empty') }], outcome: 'empty' };
    // A shop that takes orders only while open says when it opens; the cart stays.
    const business = await ctx.services.directory.get(businessId);
    const closed = business ? closedForOrders(business, ctx.services.clock.now(), ctx.t, locale) : undefined;
    if (closed) return { replies: [{ kind: 'text', text: closed }], outcome: 'empty' };
    try {
      const order = await placeOrder(ctx, businessId);
      return { replies: [orderMessage(ctx, order, 'checkout.created')], set: { orderId: order.id, fulfilment: undefined }, outcome: 'created' };
    } catch (err) {
      if (isVitrineError(err, 'VT_ERR_CART_EMPTY')) return { replies: [{ kind: 'text', text: ctx.t('checkout.empty') }], outcome: 'empty' };
      // The business's fulfilment settings changed since the customer chose (a reload): they choose again from the cart.
      if (isVitrineError(err, 'VT_ERR_FULFILMENT_INVALID') || isVitrineError(err, 'VT_ERR_FULFILMENT_MINIMUM')) return { replies: [{ kind: 'text', text: ctx.t('fulfilment.changed') }], set: { fulfilment: undefined }, outcome: 'empty' };
      if (isVitrineError(err, 'VT_ERR_OUT_OF_STOCK')) return { replies: [{ kind: 'text', text: ctx.t('checkout.outOfStock') }], outcome: 'empty' };
      throw err;
    }
  },
});
