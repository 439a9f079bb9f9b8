import type { PaymentProviderDescriptor } from '../../../engine/index.ts';
import { createStripePaymentProvider, STRIPE_IN_CHAT, STRIPE_METHODS, type StripePaymentProvider } from './stripe-provider.ts';

/** The environment variables the Stripe provider reads. */
const ENV = {
  STRIPE_SECRET_KEY: 'Secret API key `sk_test_…` or `sk_live_…`; the provider is on when it is set',
  STRIPE_WEBHOOK_SECRET: 'The webhook endpoint\'s signing secret `whsec_…`; without it payment results cannot be received',
  STRIPE_API_URL: 'Another API base URL, e.g. `http://127.0.0.1:12111` for a local server (optional)',
} as const;

/**
 * Stripe Checkout as a payment provider (`payments: { provider: stripe }`):
 * on when `STRIPE_SECRET_KEY` is set; one SDK client opens the pages, expires
 * and refunds them and verifies the webhook (`STRIPE_WEBHOOK_SECRET`).
 * Customers return to `<publicUrl>/paid` or `<publicUrl>/payment-cancelled`.
 *
 * @example
 * ```ts
 * const [stripe] = createPaymentProviders([stripePayments], process.env, { publicUrl: 'https://shop.example', logger });
 * ```
 */
export const stripePayments = {
  id: 'stripe',
  env: ENV,
  methods: STRIPE_METHODS,
  inChat: STRIPE_IN_CHAT,
  create(env, { publicUrl, logger, clock }): StripePaymentProvider | undefined {
    const secretKey = env['STRIPE_SECRET_KEY'];
    if (!secretKey) return undefined;
    const webhookSecret = env['STRIPE_WEBHOOK_SECRET'];
    if (!webhookSecret) logger.warn('STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: payment results cannot be received');
    const apiBaseUrl = env['STRIPE_API_URL'];
    const base = publicUrl.replace(/\/+$/, '');
    return createStripePaymentProvider({
      secretKey, successUrl: `${base}/paid?session={CHECKOUT_SESSION_ID}`, cancelUrl: `${base}/payment-cancelled`,
      ...(apiBaseUrl ? { apiBaseUrl } : {}), ...(webhookSecret ? { webhookSecret } : {}), ...(clock ? { clock } : {}),
    });
  },
} satisfies PaymentProviderDescriptor;
