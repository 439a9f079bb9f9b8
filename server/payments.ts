import type { FastifyInstance } from 'fastify';
import { cashPayments, createPaymentProviders, recordPayments, type PaymentProvider, type PaymentProviderContext, type PaymentProviderDescriptor, type PaymentProviderOff, readOrder, type OrderRecord } from '../engine/index.ts';
import { stripePayments } from '../adapters/payments/stripe/index.ts';
import { sandboxPageRoutes, sandboxPayments, type SandboxPaymentProvider } from '../adapters/payments/sandbox/index.ts';
import type { Runtime } from './runtime.ts';
import { paymentPageRoutes } from './routes/payment-pages.ts';
import { paymentWebhookRoutes } from './routes/payment-webhooks.ts';

/**
 * The payment providers Vitrine offers: the one list `npm start`, `npm run
 * chat`, `npm run setup`, `npm run orders` and `npm run validate` read. A new
 * provider is one folder exporting a descriptor, added here.
 *
 * @example
 * ```ts
 * const payments = createPaymentProviders(PAYMENT_PROVIDERS, process.env, { publicUrl, logger });
 * ```
 */
export const PAYMENT_PROVIDERS: readonly PaymentProviderDescriptor[] = [recordPayments, cashPayments, stripePayments, sandboxPayments];

/**
 * The providers of {@link PAYMENT_PROVIDERS} that the environment turns on,
 * built once for the runtime (the server's routes use the same instances).
 *
 * @example
 * ```ts
 * const runtime = await createRuntime({ payments: paymentProvidersFromEnv(process.env, { publicUrl: config.publicUrl, logger }) });
 * ```
 */
export function paymentProvidersFromEnv(env: Readonly<Record<string, string | undefined>>, context: PaymentProviderContext): PaymentProvider[] {
  return createPaymentProviders(PAYMENT_PROVIDERS, env, context);
}

/**
 * The providers of {@link PAYMENT_PROVIDERS} that are not among `built`
 * (off in this environment), each with the variables it reads and its
 * descriptor's `whenOff`: a bot that asks for one is told what to set.
 *
 * @example
 * ```ts
 * paymentProvidersOff([recordOnlyPaymentProvider, cashPaymentProvider]); // { stripe: { env: ['STRIPE_SECRET_KEY', …] }, … }
 * ```
 */
export function paymentProvidersOff(built: readonly PaymentProvider[]): Record<string, PaymentProviderOff> {
  const off: Record<string, PaymentProviderOff> = {};
  for (const d of PAYMENT_PROVIDERS) {
    if (!built.some((p) => p.id === d.id)) off[d.id] = { env: Object.keys(d.env), ...(d.whenOff ? { hint: d.whenOff } : {}) };
  }
  return off;
}

/**
 * Mounts the payment routes of the runtime's providers: each webhook at
 * `POST /webhooks/payments/<id>` (and its own further paths), and the pages
 * hosted payment pages return customers to (`/paid`, `/payment-cancelled`),
 * and the test payment pages of the sandbox when it is on (`/sandbox/pay/<ref>`).
 *
 * @example
 * ```ts
 * await registerPayments(app, runtime);
 * ```
 */
export async function registerPayments(app: FastifyInstance, runtime: Runtime): Promise<void> {
  await app.register(paymentWebhookRoutes, { providers: runtime.payments, engine: runtime.engine });
  await app.register(paymentPageRoutes, { i18n: runtime.i18n });
  const sandbox = runtime.payments.find((p): p is SandboxPaymentProvider => p.id === sandboxPayments.id);
  if (sandbox) await app.register(sandboxPageRoutes, { provider: sandbox, i18n: runtime.i18n, findOrder: (ref) => sandboxOrder(runtime, ref) });
}

/** The order a sandbox payment reference was issued for (its Payment row), or `undefined`. */
async function sandboxOrder(runtime: Runtime, ref: string): Promise<OrderRecord | undefined> {
  const payment = await runtime.db.payment.findUnique({ where: { provider_providerRef: { provider: sandboxPayments.id, providerRef: ref } }, select: { orderId: true } });
  return payment ? readOrder(runtime.db, payment.orderId) : undefined;
}
