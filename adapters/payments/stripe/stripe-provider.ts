import Stripe from 'stripe';
import type { Clock, OfferedPaymentMethods, OrderForPayment, PaymentProvider } from '../../../engine/index.ts';
import { checkoutLocale } from './checkout-locale.ts';
import { stripeWebhook } from './stripe-webhook.ts';

/** Options of {@link createStripePaymentProvider}. */
export interface StripeProviderOptions {
  /** `sk_test_…` or `sk_live_…` (`STRIPE_SECRET_KEY`). Ignored when `client` is given. */
  secretKey: string;
  /** Another API base URL, e.g. `http://127.0.0.1:12111` for a local server (`STRIPE_API_URL`). */
  apiBaseUrl?: string;
  /** Where Stripe sends the customer after paying. May contain `{CHECKOUT_SESSION_ID}`. */
  successUrl: string;
  /** Where Stripe sends the customer who leaves the page. */
  cancelUrl: string;
  /** The webhook endpoint's signing secret, `whsec_…` (`STRIPE_WEBHOOK_SECRET`). Without it no results are received. */
  webhookSecret?: string;
  /** An existing client. */
  client?: Stripe;
  /** The time webhook signatures are checked against (default the system clock). */
  clock?: Clock;
}

/** The Stripe provider; `client` is the SDK instance it uses. */
export interface StripePaymentProvider extends PaymentProvider {
  readonly id: 'stripe';
  readonly client: Stripe;
}

/**
 * A Stripe SDK client, optionally pointed at another API base URL.
 *
 * @example
 * ```ts
 * const stripe = createStripeClient(process.env.STRIPE_SECRET_KEY!, process.env.STRIPE_API_URL);
 * ```
 */
export function createStripeClient(secretKey: string, apiBaseUrl?: string): Stripe {
  if (!apiBaseUrl) return new Stripe(secretKey, { maxNetworkRetries: 2 });
  const url = new URL(apiBaseUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    host: url.hostname, protocol, maxNetworkRetries: 2,
    ...(url.port ? { port: Number(url.port) } : {}),
  });
}

/**
 * The Checkout methods a bot may choose per country (`payments.methods`),
 * with the currencies Stripe takes each in: cards in any; Pix and boleto in
 * BRL, OXXO in MXN (Stripe's pages of each method, "Supported currencies").
 */
export const STRIPE_METHODS: OfferedPaymentMethods = { card: '*', pix: ['BRL'], boleto: ['BRL'], oxxo: ['MXN'] };

/** The methods whose payment Stripe can give as a code for the chat (`payments.inChat`). */
export const STRIPE_IN_CHAT = ['pix'] as const;

/** How long a Pix code shown in the chat stays valid (s): an hour, then a new one is offered. */
const PIX_EXPIRES_AFTER_SECONDS = 3600;

/**
 * The PaymentIntent parameters of a Pix payment shown in the chat: the
 * order's total from the database, confirmed at once so that Stripe answers
 * with the code (`next_action.pix_display_qr_code`).
 *
 * @example
 * ```ts
 * const intent = await stripe.paymentIntents.create(pixIntentParams(order), { idempotencyKey: `order-${order.id}-v${order.version}` });
 * ```
 */
export function pixIntentParams(order: OrderForPayment): Stripe.PaymentIntentCreateParams {
  return {
    amount: order.totalMinor, currency: order.currency.toLowerCase(), allowed_payment_method_types: ['pix'], payment_method_data: { type: 'pix' }, confirm: true,
    payment_method_options: { pix: { expires_after_seconds: PIX_EXPIRES_AFTER_SECONDS } },
    description: `${order.businessName} ${order.number}`,
    metadata: { orderId: order.id, conversationId: order.conversationId, orderNumber: order.number },
  };
}

/** Whether an order's payment is a Pix code in the chat: the bot shows Pix there and the order is in BRL. */
const pixInChat = (order: OrderForPayment): boolean => (order.inChat?.includes('pix') ?? false) && order.currency.toUpperCase() === 'BRL';

/** A Stripe reference of ours: a Checkout Session (`cs_…`) or, for a code in the chat, a PaymentIntent (`pi_…`). */
const isIntent = (providerRef: string): boolean => providerRef.startsWith('pi_');

function withLocale(url: string, locale: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}locale=${encodeURIComponent(locale)}`;
}

/**
 * The Checkout Session parameters for an order: one line per item with its
 * price from the database in minor units (and one for its delivery fee), and the methods the bot offers
 * where the business is (Stripe's default, the account's settings, when none).
 *
 * @example
 * ```ts
 * const params = checkoutSessionParams(order, { successUrl, cancelUrl });
 * ```
 */
export function checkoutSessionParams(order: OrderForPayment, urls: { successUrl: string; cancelUrl: string }): Stripe.Checkout.SessionCreateParams {
  const currency = order.currency.toLowerCase();
  return {
    mode: 'payment',
    line_items: [
      ...order.items.map((item) => ({
        quantity: item.quantity,
        price_data: { currency, unit_amount: item.unitPriceMinor, product_data: { name: item.name } },
      })),
      // The delivery fee is part of the order's total: a line of its own, so the page charges exactly that total.
      ...(order.feeMinor ? [{ quantity: 1, price_data: { currency, unit_amount: order.feeMinor, product_data: { name: order.feeLabel ?? 'Delivery' } } }] : []),
    ],
    locale: checkoutLocale(order.locale),
    // The return pages speak the customer's language.
    success_url: withLocale(urls.successUrl, order.locale),
    cancel_url: withLocale(urls.cancelUrl, order.locale),
    // A filter on the methods the account has on (Stripe's dynamic payment methods): those of the list that apply are offered.
    ...(order.paymentMethods ? { allowed_payment_method_types: order.paymentMethods } : {}),
    client_reference_id: order.id,
    metadata: { orderId: order.id, conversationId: order.conversationId, orderNumber: order.number },
  };
}

/**
 * Card payments through Stripe Checkout: each order version gets a hosted
 * payment page; results arrive as signed webhooks (see `stripeWebhook`),
 * verified with the same client. An order in BRL of a bot that shows Pix in
 * the chat (`payments.inChat: [pix]`) gets a Pix PaymentIntent instead: its
 * code for the chat, and Stripe's page of the same code as the link.
 * Requests carry the idempotency key `order-<id>-v<version>`, so a retried
 * checkout never opens a second session.
 *
 * @example
 * ```ts
 * const stripe = createStripePaymentProvider({
 *   secretKey: process.env.STRIPE_SECRET_KEY!,
 *   successUrl: 'https://shop.example/paid', cancelUrl: 'https://shop.example/cancelled',
 *   webhookSecret: process.env.STRIPE_WEBHOOK_SECRET,
 * });
 * const runtime = await createRuntime({ payments: [stripe] }); // bot.yaml: payments: { provider: stripe }
 * ```
 */
export function createStripePaymentProvider(options: StripeProviderOptions): StripePaymentProvider {
  const client = options.client ?? createStripeClient(options.secretKey, options.apiBaseUrl);
  return {
    id: 'stripe',
    client,
    methods: STRIPE_METHODS,
    inChat: STRIPE_IN_CHAT,
    ...(options.webhookSecret ? { webhook: stripeWebhook(client, options.webhookSecret, options.clock ? { clock: options.clock } : {}) } : {}),
    async createPayment(order) {
      if (pixInChat(order)) {
        const intent = await client.paymentIntents.create(pixIntentParams(order), { idempotencyKey: `order-${order.id}-v${order.version}` });
        const pix = intent.next_action?.pix_display_qr_code;
        if (!pix?.data || !pix.hosted_instructions_url) throw new Error(`PaymentIntent ${intent.id} has no Pix code`);
        return {
          kind: 'redirect', url: pix.hosted_instructions_url, providerRef: intent.id,
          ...(pix.expires_at ? { expiresAt: new Date(pix.expires_at * 1000) } : {}),
          code: { method: 'pix', value: pix.data, ...(pix.image_url_png ? { imageUrl: pix.image_url_png } : {}) },
        };
      }
      const session = await client.checkout.sessions.create(checkoutSessionParams(order, options), {
        idempotencyKey: `order-${order.id}-v${order.version}`,
      });
      if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
      return { kind: 'redirect', url: session.url, providerRef: session.id, expiresAt: new Date(session.expires_at * 1000) };
    },
    async cancelPayment(providerRef) {
      if (isIntent(providerRef)) {
        const intent = await client.paymentIntents.retrieve(providerRef);
        if (intent.status === 'requires_action' || intent.status === 'requires_payment_method') await client.paymentIntents.cancel(providerRef);
        return;
      }
      const session = await client.checkout.sessions.retrieve(providerRef);
      if (session.status === 'open') await client.checkout.sessions.expire(providerRef);
    },
    async refund(providerRef, order) {
      const intent = isIntent(providerRef) ? providerRef : (await client.checkout.sessions.retrieve(providerRef)).payment_intent;
      const paymentIntent = typeof intent === 'string' ? intent : intent?.id;
      if (!paymentIntent) throw new Error(`Checkout Session ${providerRef} has no payment to refund`);
      const refund = await client.refunds.create(
        { payment_intent: paymentIntent, metadata: { orderId: order.id, orderNumber: order.number } },
        // One key per payment: an order paid twice (a replaced page) has two to refund.
        { idempotencyKey: `refund-${order.id}-${providerRef}` },
      );
      return { refundRef: refund.id };
    },
  };
}
