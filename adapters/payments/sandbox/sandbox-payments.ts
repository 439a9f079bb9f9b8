import { randomBytes } from 'node:crypto';
import type { PaymentProviderDescriptor } from '../../../engine/index.ts';
import { createSandboxPaymentProvider, type SandboxPaymentProvider } from './sandbox-provider.ts';

/** The environment variables the sandbox reads. */
const ENV = {
  NODE_ENV: 'The sandbox is off when it is `production`: test payments never run in production',
  SANDBOX_WEBHOOK_SECRET: 'Signs the sandbox\'s webhook deliveries (optional: a random secret is made at start and kept in memory)',
} as const;

/**
 * Test payments (`payments: { provider: sandbox }`): on unless `NODE_ENV` is
 * `production`, with no account anywhere. The customer's link opens a page
 * on this server marked TEST MODE with "Pay (test)" / "Fail (test)"; its
 * result is a signed webhook event, applied like any provider's. `npm start`
 * says at start which bots take test payments. In production it
 * is off, and a bot naming it does not load: it is told to configure
 * `stripe` or `cash` instead.
 *
 * @example
 * ```ts
 * const [sandbox] = createPaymentProviders([sandboxPayments], process.env, { publicUrl: 'http://localhost:3000', logger });
 * ```
 */
export const sandboxPayments = {
  id: 'sandbox',
  env: ENV,
  whenOff: 'the test payment sandbox is off here (it never runs when NODE_ENV is production); configure a real provider instead, such as stripe (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET) or cash (see docs/payments.md)',
  create(env, { publicUrl, clock }): SandboxPaymentProvider | undefined {
    if (env['NODE_ENV']?.toLowerCase() === 'production') return undefined;
    // Deliveries are made and checked by this one process: a secret of its own is enough.
    const secret = env['SANDBOX_WEBHOOK_SECRET'] ?? randomBytes(32).toString('hex');
    return createSandboxPaymentProvider({ publicUrl, secret, ...(clock ? { clock } : {}) });
  },
} satisfies PaymentProviderDescriptor;
