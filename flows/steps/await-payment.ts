import { z } from 'zod';
import { defineStep, encodeOptionId, ORDER_FEE_TEXT_KEYS, isVitrineError, tappedOption, type ChoiceOption, type PaymentStart, type StepContext, type StepInput, type StepResult, type SystemInput } from '../../engine/index.ts';
import { normalizeText } from '../../engine/flow/intents.ts';
import { CASH_TEXT_KEYS, paymentMessages } from './checkout.ts';
import { orderMessage } from './order-status.ts';

type PaymentAction = 'newLink' | 'cancel' | 'shopAgain';

/** The conversation variable naming the order whose payment the customer has been shown. */
const SHOWN = 'awaitPayment.shown';

/** A payment option; its label is the text `payment.<action>`. */
const paymentOption = (ctx: StepContext<unknown>, action: PaymentAction): ChoiceOption => ({ id: encodeOptionId({ kind: 'payment', action }), label: ctx.t(`payment.${action}`) });

async function status(ctx: StepContext<unknown>): Promise<StepResult> {
  if (!ctx.data.orderId) return { outcome: 'shopAgain' };
  const order = await ctx.services.orders.get(ctx.data.orderId);
  const open = order.status === 'awaiting_payment' || order.status === 'expired';
  return {
    replies: [{
      kind: 'choice',
      text: ctx.t('payment.waiting', { number: order.number, status: ctx.t(`orderStatus.${order.status}`), total: ctx.money(order.totalMinor, order.currency) }),
      options: [
        ...(order.status === 'expired' ? [paymentOption(ctx, 'newLink')] : []),
        ...(open ? [paymentOption(ctx, 'cancel')] : []),
        paymentOption(ctx, 'shopAgain'),
        { id: encodeOptionId({ kind: 'intent', intent: 'orders' }), label: ctx.t('nav.orders') },
      ],
    }],
  };
}

function unavailable(ctx: StepContext<unknown>, number: string): StepResult {
  return {
    replies: [{
      kind: 'choice', text: ctx.t('payment.unavailable', { number }),
      options: [paymentOption(ctx, 'newLink'), paymentOption(ctx, 'cancel')],
    }],
  };
}

async function onSystem(ctx: StepContext<unknown>, input: SystemInput, orderId: string): Promise<StepResult> {
  const event = input.event;
  if (event === 'payment.ready') {
    const order = await ctx.services.orders.get(orderId);
    // A page for an order that moved on meanwhile (cancelled, paid) is not shown.
    if (order.status !== 'awaiting_payment') return {};
    return { replies: paymentMessages(ctx, order, input.data['start'] as PaymentStart) };
  }
  if (event === 'payment.unavailable') return unavailable(ctx, (await ctx.services.orders.get(orderId)).number);
  if (event === 'payment.succeeded') {
    const order = await ctx.services.orders.get(orderId);
    return {
      replies: [
        { ...orderMessage(ctx, order, 'payment.receipt'), change: true },
        { kind: 'text', text: ctx.t('payment.received') },
      ],
      outcome: 'paid',
    };
  }
  if (event === 'payment.expired' || event === 'payment.failed') {
    const order = await ctx.services.orders.get(orderId);
    return {
      replies: [{
        kind: 'choice',
        text: ctx.t(event === 'payment.expired' ? 'payment.expired' : 'payment.failed', { number: order.number }),
        options: [
          paymentOption(ctx, 'newLink'),
          paymentOption(ctx, 'cancel'),
          paymentOption(ctx, 'shopAgain'),
        ],
      }],
    };
  }
  if (event === 'order.cancelled') {
    // The shop cancelled the order this step waits for: the customer is told and shops on.
    const order = await ctx.services.orders.get(orderId);
    if (order.status !== 'cancelled') return {};
    return { replies: [{ ...orderMessage(ctx, order, 'orderUpdate.order.cancelled'), change: true }], outcome: 'cancelled' };
  }
  // Other events (the shop's updates) are not this step's business.
  return {};
}

async function newLink(ctx: StepContext<unknown>, orderId: string): Promise<StepResult> {
  try {
    const renewed = await ctx.services.orders.renewPayment(orderId);
    return renewed ? { replies: [{ kind: 'text', text: ctx.t('payment.preparing', { number: renewed.number }) }] } : status(ctx);
  } catch (err) {
    // The order gave its units back when it expired; someone else bought them meanwhile.
    if (isVitrineError(err, 'VT_ERR_OUT_OF_STOCK')) return { replies: [{ kind: 'text', text: ctx.t('checkout.outOfStock') }] };
    throw err;
  }
}

/** The payment action an input taps, if any. */
function payment(input: StepInput): PaymentAction | undefined {
  const option = tappedOption(input);
  return option?.kind === 'payment' ? option.action : undefined;
}

function saysCancel(ctx: StepContext<unknown>, input: StepInput): boolean {
  if (input.kind === 'choice') return payment(input) === 'cancel';
  if (input.kind !== 'text') return false;
  const said = normalizeText(input.text);
  return ctx.t('payment.cancelWords').split('|').some((w) => normalizeText(w) === said);
}

/**
 * Waits for the payment of the order just created.
 * - `payment.ready` shows the payment link (or the "payment pending" note);
 *   `payment.unavailable` offers a new link when the provider could not be reached.
 * - A `payment.succeeded` system event sends the receipt (outcome `paid`).
 * - `payment.expired` / `payment.failed` tell the customer and offer a new payment link.
 * - `order.cancelled` (the shop cancelled the order) tells the customer (outcome `cancelled`).
 * - "cancel" (in the customer's language) cancels the unpaid order (outcome `cancelled`).
 * - Anything else answers with the order's status; "shop again" gives outcome `shopAgain`.
 * - Entered again after the checkout (a greeting, the chat back from a person) it shows the
 *   order's status too, so the customer always sees where the order is and what they can do.
 *
 * @example
 * ```yaml
 * payment: { step: awaitPayment, on: { paid: findBusiness, cancelled: findBusiness, shopAgain: findBusiness } }
 * ```
 */
export const awaitPayment = defineStep({
  name: 'awaitPayment',
  description: 'Waits for the payment of the current order; outcomes paid, cancelled, shopAgain',
  params: z.object({}).strict(),
  outcomes: ['paid', 'cancelled', 'shopAgain'],
  textKeys: () => [
    'payment.waiting', 'payment.shopAgain', 'nav.orders', 'help.awaitPayment', 'payment.receipt', 'payment.received',
    'payment.expired', 'payment.failed', 'payment.newLink', 'payment.preparing', 'payment.cancel', 'payment.cancelWords', 'payment.cancelled', 'payment.unavailable',
    'orderUpdate.order.cancelled', 'checkout.payNow', 'checkout.payButton', 'checkout.payNowTest', 'checkout.payButtonTest', 'checkout.orderDetails', 'checkout.payCode', 'checkout.payCodeNoExpiry', 'checkout.codePageButton', 'checkout.pending',
    ...ORDER_FEE_TEXT_KEYS, ...CASH_TEXT_KEYS,
  ],
  async enter(ctx) {
    // Right after checkout, which sent the way to pay, there is nothing to add. Any later entry
    // (a greeting, the chat coming back from a person) shows where the order is, with its options.
    const orderId = ctx.data.orderId;
    if (!orderId || ctx.data.vars[SHOWN] === orderId) return orderId ? status(ctx) : { outcome: 'shopAgain' };
    return { set: { vars: { ...ctx.data.vars, [SHOWN]: orderId } } };
  },
  async handle(ctx, input) {
    const orderId = ctx.data.orderId;
    if (input.kind === 'system') {
      const about = typeof input.data['orderId'] === 'string' ? input.data['orderId'] : undefined;
      return orderId && about === orderId ? onSystem(ctx, input, orderId) : {};
    }
    if (payment(input) === 'shopAgain') return { outcome: 'shopAgain' };
    if (!orderId) return { outcome: 'shopAgain' };
    if (payment(input) === 'newLink') return newLink(ctx, orderId);
    if (saysCancel(ctx, input)) {
      if (!(await ctx.services.orders.cancel(orderId))) return status(ctx);
      // The cancelled order itself, so channels that keep orders (WhatsApp's order messages) move it too.
      const cancelled = await ctx.services.orders.get(orderId);
      return { replies: [{ ...orderMessage(ctx, cancelled, 'payment.cancelled'), change: true }], outcome: 'cancelled' };
    }
    return status(ctx);
  },
});
